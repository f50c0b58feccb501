/**
 * JSON-safe forms for what a decision stores (Postgres jsonb): bigint becomes a string of
 * decimal digits, so no JSON parser can round it, and comparisons use a canonical text (keys
 * sorted) so that two equal values always compare equal whatever order their keys were built in.
 */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Bounds the walk: decision data is a few levels deep; anything deeper is a bug (or a cycle). */
const DEPTH_MAX = 32;

/** bigint → decimal string; undefined properties are dropped (as JSON.stringify does); anything else non-JSON throws. */
export function toJsonSafe(value: unknown, depth = 0): JsonValue {
  if (depth > DEPTH_MAX) throw new RangeError('value is nested too deeply to store (a cycle?)');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot store a non-finite number: ${value}`);
    return value;
  }
  // Plain loops, not entries/filter/fromEntries: every decision converts a profile of a few
  // hundred values, and the intermediate arrays were a good part of the underwriter's garbage.
  if (Array.isArray(value)) {
    const items: JsonValue[] = new Array(value.length);
    for (let index = 0; index < value.length; index += 1) items[index] = toJsonSafe(value[index], depth + 1);
    return items;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const safe: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (item !== undefined) safe[key] = toJsonSafe(item, depth + 1);
    }
    return safe;
  }
  throw new TypeError(`cannot store a ${typeof value} as JSON`);
}

/** One text per value: keys sorted at every level. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as { readonly [key: string]: JsonValue };
    const keys = Object.keys(record).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key]!)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Whether canonicalJson(toJsonSafe(a)) === canonicalJson(toJsonSafe(b)), for values toJsonSafe
 * accepts, without building either text: the underwriter asks it of two credit lines on every
 * decision. The same rules: keys in any order, undefined properties absent, a bigint equal to
 * its decimal string, 0 equal to -0 (JSON writes both as 0).
 */
export function sameCanonicalJson(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > DEPTH_MAX) throw new RangeError('value is nested too deeply to compare (a cycle?)');
  if (a === b) return true;
  if (typeof a === 'bigint') return typeof b === 'string' && a.toString() === b;
  if (typeof b === 'bigint') return typeof a === 'string' && b.toString() === a;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let index = 0; index < a.length; index += 1)
      if (!sameCanonicalJson(a[index], b[index], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  // for…in with an own-property check rather than Object.keys: no arrays built per object.
  let leftKeys = 0;
  for (const key in left) {
    if (!hasOwn.call(left, key)) continue;
    const item = left[key];
    if (item === undefined) continue;
    leftKeys += 1;
    if (!hasOwn.call(right, key) || !sameCanonicalJson(item, right[key], depth + 1)) return false;
  }
  let rightKeys = 0;
  for (const key in right) if (hasOwn.call(right, key) && right[key] !== undefined) rightKeys += 1;
  return leftKeys === rightKeys;
}

/** Paths where two JSON values differ, for a mismatch report; at most `limit` of them. */
export function jsonDifferences(expected: JsonValue, actual: JsonValue, limit = 20, path = '$'): string[] {
  if (sameCanonicalJson(expected, actual)) return [];
  const bothObjects =
    expected !== null &&
    actual !== null &&
    typeof expected === 'object' &&
    typeof actual === 'object' &&
    Array.isArray(expected) === Array.isArray(actual);
  if (!bothObjects) return [`${path}: expected ${canonicalJson(expected)}, got ${canonicalJson(actual)}`];
  const left = expected as { readonly [key: string]: JsonValue };
  const right = actual as { readonly [key: string]: JsonValue };
  const differences: string[] = [];
  for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
    if (differences.length >= limit) break;
    const childPath = Array.isArray(expected) ? `${path}[${key}]` : `${path}.${key}`;
    if (!(key in left)) differences.push(`${childPath}: unexpected ${canonicalJson(right[key]!)}`);
    else if (!(key in right)) differences.push(`${childPath}: missing`);
    else differences.push(...jsonDifferences(left[key]!, right[key]!, limit - differences.length, childPath));
  }
  return differences.slice(0, limit);
}
