/**
 * The ops API reads JSON bodies only: `application/json` and the `application/*+json` family
 * (`application/merge-patch+json`…), with any parameters (`; charset=utf-8`). Pure.
 */
export function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const essence = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return essence === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(essence);
}

/** True when a request carries a body at all (a length above 0, or a chunked stream). */
export function requestHasBody(headers: {
  readonly 'content-length'?: string;
  readonly 'transfer-encoding'?: string;
}): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length.trim() !== '' && length.trim() !== '0';
}

/** The default request body limit: 64 KiB is far above any write of this API (a few hundred bytes). */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;
export const BODY_LIMIT_BYTES_MIN = 1_024;
export const BODY_LIMIT_BYTES_MAX = 10 * 1024 * 1024;
