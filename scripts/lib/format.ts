/** Formatting for people: money from bigint minor units (never via floats), rates from basis points. */

const CURRENCY_SYMBOLS: Readonly<Record<string, string>> = { CNY: '¥', USD: '$', EUR: '€' };

/** 123456n CNY → "¥1,234.56" (two minor digits: CNY, USD, EUR and most currencies). */
export function formatMoney(amountMinor: bigint, currency: string): string {
  const negative = amountMinor < 0n;
  const absolute = negative ? -amountMinor : amountMinor;
  const major = (absolute / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const minor = (absolute % 100n).toString().padStart(2, '0');
  const symbol = CURRENCY_SYMBOLS[currency] ?? `${currency} `;
  return `${negative ? '-' : ''}${symbol}${major}.${minor}`;
}

/** 1234 → "12.3%"; null (no basis for a rate) → "—". */
export function formatBasisPoints(basisPoints: number | null): string {
  if (basisPoints === null) return '—';
  return `${Math.floor(basisPoints / 100)}.${Math.floor((basisPoints % 100) / 10)}%`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
