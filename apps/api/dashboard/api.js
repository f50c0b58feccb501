// The ops API, with the operator's bearer token. The token lives in sessionStorage: it is gone
// when the tab closes, and other tabs and sites cannot read it.
const TOKEN_KEY = 'lendstream.token';

export const storedToken = () => sessionStorage.getItem(TOKEN_KEY);
export const storeToken = (token) => sessionStorage.setItem(TOKEN_KEY, token);
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

/** The token's claims, read (not verified: the API verifies it) to show who is signed in and which buttons apply. */
export function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '=')));
    return {
      subject: String(claims.sub ?? '?'),
      roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
    };
  } catch {
    return undefined;
  }
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthenticated = () => undefined;
/** Called when the API refuses the token (expired, revoked): the page signs out. */
export const whenUnauthenticated = (handler) => (onUnauthenticated = handler);

async function call(method, path, body) {
  const headers = { Authorization: `Bearer ${storedToken()}` };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Idempotency-Key'] = crypto.randomUUID();
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = parsed?.error ?? { code: 'HTTP_' + response.status, message: response.statusText };
    if (response.status === 401) onUnauthenticated(error.message);
    throw new ApiError(response.status, error.code, error.message);
  }
  return parsed;
}

export const apiGet = (path) => call('GET', path);
export const apiPost = (path, body) => call('POST', path, body);
