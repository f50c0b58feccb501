/**
 * `API_CORS_ORIGINS`: the browser origins allowed to call the API cross-origin, as a
 * comma-separated list of exact origins (`https://ops.example.com,http://localhost:5173`).
 * Empty (the default) turns CORS off: browsers then call it from its own origin only. A
 * wildcard is refused: the API takes bearer tokens, and `*` would let any site try them.
 * Pure; returns the origins or a problem to report.
 */
export function parseCorsOrigins(
  raw: string | undefined,
):
  | { readonly ok: true; readonly origins: readonly string[] }
  | { readonly ok: false; readonly problem: string } {
  if (raw === undefined || raw.trim() === '') return { ok: true, origins: [] };
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const origins: string[] = [];
  for (const entry of entries) {
    if (entry === '*' || entry === 'null')
      return {
        ok: false,
        problem: `${entry} is not allowed; list exact origins such as https://ops.example.com`,
      };
    const origin = originOf(entry);
    if (origin === undefined)
      return {
        ok: false,
        problem: `"${entry}" is not an origin (expected scheme://host[:port] with no path, e.g. https://ops.example.com)`,
      };
    if (!origins.includes(origin)) origins.push(origin);
  }
  if (origins.length > 100) return { ok: false, problem: 'at most 100 origins' };
  return { ok: true, origins };
}

function originOf(entry: string): string | undefined {
  try {
    const url = new URL(entry);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') return undefined;
    if (url.pathname !== '/' && url.pathname !== '') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
