// Charts as inline SVG, drawn by hand: no library, nothing fetched, nothing evaluated.
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const title = (text) => svg('title', {}, text);

/**
 * Horizontal bars, one per item ({ label, value, text, tone }), on a shared scale: the largest
 * value, or `max` when given (a budget drawn as the full width).
 */
export function barChart(items, { max, width = 560, barHeight = 22, labelWidth = 150, ariaLabel } = {}) {
  const scale = Math.max(max ?? 0, ...items.map((item) => item.value), 1);
  const chartWidth = width - labelWidth - 140;
  const height = items.length * (barHeight + 8) + 8;
  const root = svg('svg', {
    class: 'chart bar-chart',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': ariaLabel ?? 'bar chart',
  });
  items.forEach((item, index) => {
    const y = 8 + index * (barHeight + 8);
    const barWidth = Math.max(item.value > 0 ? 2 : 0, (item.value / scale) * chartWidth);
    root.append(
      svg(
        'text',
        { x: labelWidth - 8, y: y + barHeight * 0.7, 'text-anchor': 'end', class: 'label' },
        item.label,
      ),
      svg('rect', { x: labelWidth, y, width: chartWidth, height: barHeight, class: 'track' }),
      svg(
        'rect',
        {
          x: labelWidth,
          y,
          width: barWidth,
          height: barHeight,
          class: `bar ${item.tone ?? ''}`,
          'data-label': item.label,
        },
        title(`${item.label}: ${item.text ?? item.value}`),
      ),
      svg(
        'text',
        { x: labelWidth + chartWidth + 8, y: y + barHeight * 0.7, class: 'value' },
        item.text ?? String(item.value),
      ),
    );
  });
  return root;
}

/**
 * A line chart of one series over time ({ at: ms, value }), steps (a line holds its value until
 * the next decision), with its minimum and maximum labelled.
 */
export function stepChart(points, { width = 560, height = 160, label, format = String, tone = '' } = {}) {
  const margin = { left: 90, right: 16, top: 16, bottom: 26 };
  const root = svg('svg', {
    class: `chart step-chart ${tone}`,
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': label ?? 'chart',
  });
  if (points.length === 0) {
    root.append(
      svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'label' }, 'no data'),
    );
    return root;
  }
  const sorted = [...points].sort((a, b) => a.at - b.at);
  const first = sorted[0].at;
  const last = Math.max(sorted.at(-1).at, first + 1);
  const values = sorted.map((point) => point.value);
  const low = Math.min(0, ...values);
  const high = Math.max(...values, low + 1);
  const x = (at) => margin.left + ((at - first) / (last - first)) * (width - margin.left - margin.right);
  const y = (value) =>
    height - margin.bottom - ((value - low) / (high - low)) * (height - margin.top - margin.bottom);
  let path = `M ${x(sorted[0].at)} ${y(sorted[0].value)}`;
  for (const point of sorted.slice(1)) path += ` H ${x(point.at)} V ${y(point.value)}`;
  // The last value holds to the right edge: a single decision is a level line, not an invisible dot.
  path += ` H ${width - margin.right}`;
  root.append(
    svg('line', { x1: margin.left, y1: y(low), x2: width - margin.right, y2: y(low), class: 'axis' }),
    svg('line', { x1: margin.left, y1: margin.top, x2: margin.left, y2: y(low), class: 'axis' }),
    svg('text', { x: margin.left - 6, y: y(high) + 4, 'text-anchor': 'end', class: 'label' }, format(high)),
    svg('text', { x: margin.left - 6, y: y(low) + 4, 'text-anchor': 'end', class: 'label' }, format(low)),
    svg(
      'text',
      { x: margin.left, y: height - 6, class: 'label' },
      new Date(first).toISOString().slice(0, 10),
    ),
    svg(
      'text',
      { x: width - margin.right, y: height - 6, 'text-anchor': 'end', class: 'label' },
      new Date(last).toISOString().slice(0, 10),
    ),
    svg('path', { d: path, class: 'line' }),
    sorted.map((point) =>
      svg(
        'circle',
        { cx: x(point.at), cy: y(point.value), r: 3, class: 'point' },
        title(`${new Date(point.at).toISOString()}: ${format(point.value)}`),
      ),
    ),
  );
  return root;
}
