// Formatting and DOM helpers. Money arrives as strings of integer minor units and is only ever
// handled as BigInt here: a float would round amounts past 2^53.

/** `12345678` CNY → `123,456.78 CNY` (two minor digits: CNY, USD, EUR; what the platform trades in). */
export function money(minor, currency) {
  if (minor === null || minor === undefined) return '—';
  const value = BigInt(minor);
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const whole = (absolute / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (absolute % 100n).toString().padStart(2, '0');
  return `${negative ? '−' : ''}${whole}.${cents}${currency ? ` ${currency}` : ''}`;
}

/** A number for a chart's scale only (never for arithmetic on money). */
export const chartNumber = (minor) => Number(BigInt(minor ?? '0'));

export function instant(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z');
}

export const percentFromBps = (bps) =>
  bps === null || bps === undefined ? '—' : `${(bps / 100).toFixed(2)} %`;

/** Builds an element; children are nodes or text (always text nodes: data is never parsed as HTML). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function table(headers, rows) {
  return el(
    'table',
    {},
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        headers.map((header) => el('th', {}, header)),
      ),
    ),
    el('tbody', {}, rows),
  );
}

export const reasonCodes = (reasons) =>
  (reasons ?? []).map((reason) => el('span', { class: 'reason', title: reason.message }, reason.code));
