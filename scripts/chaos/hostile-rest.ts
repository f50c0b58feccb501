/**
 * Hostile REST: generated requests on every route of the ops API (fast-check, seeded): bad
 * and missing tokens, tokens without the role, broken and wrongly typed bodies, bodies over the
 * limit, odd Unicode and injection strings in paths, queries and fields, bad Idempotency-Keys.
 * Every write carries at least one defect, so every write must be refused: none may be a 5xx,
 * and the database must not move. Then replayed Idempotency-Keys: a real write once, the same
 * key and body again (the same answer, no second effect), the same key with another body (409).
 */
import fc from 'fast-check';
import type { ChaosRun } from './chaos-run';
import { CheckResult, HttpOutcome, noServerErrors, unchanged } from './checks';

type Method = 'GET' | 'POST' | 'PUT';
interface Route {
  readonly method: Method;
  readonly path: (parameter: string) => string;
  readonly name: string;
  /** A valid body for a write (each request then breaks it, or its headers, somehow). */
  readonly body?: (merchantId: string) => Record<string, unknown>;
}

const ROUTES: readonly Route[] = [
  { method: 'GET', name: 'GET /v1/merchants/{id}/profile', path: (id) => `/v1/merchants/${id}/profile` },
  {
    method: 'GET',
    name: 'GET /v1/merchants/{id}/credit-line',
    path: (id) => `/v1/merchants/${id}/credit-line`,
  },
  { method: 'GET', name: 'GET /v1/merchants/{id}/decisions', path: (id) => `/v1/merchants/${id}/decisions` },
  { method: 'GET', name: 'GET /v1/merchants/{id}/loans', path: (id) => `/v1/merchants/${id}/loans` },
  { method: 'GET', name: 'GET /v1/loans/{id}', path: (id) => `/v1/loans/${id}` },
  { method: 'GET', name: 'GET /v1/portfolio', path: () => `/v1/portfolio` },
  { method: 'GET', name: 'GET /v1/portfolio/budget', path: () => `/v1/portfolio/budget` },
  { method: 'GET', name: 'GET /v1/ledger/trial-balance', path: () => `/v1/ledger/trial-balance` },
  { method: 'GET', name: 'GET /v1/dead-letters', path: () => `/v1/dead-letters` },
  { method: 'GET', name: 'GET /v1/audit', path: () => `/v1/audit` },
  { method: 'GET', name: 'GET /health/live', path: () => `/health/live` },
  { method: 'GET', name: 'GET /metrics', path: () => `/metrics` },
  { method: 'GET', name: 'GET /docs/openapi.json', path: () => `/docs/openapi.json` },
  {
    method: 'POST',
    name: 'POST /v1/merchants/{id}/credit-line/freeze',
    path: (id) => `/v1/merchants/${id}/credit-line/freeze`,
    body: () => ({ reason: 'chaos' }),
  },
  {
    method: 'POST',
    name: 'POST /v1/merchants/{id}/credit-line/unfreeze',
    path: (id) => `/v1/merchants/${id}/credit-line/unfreeze`,
    body: () => ({ reason: 'chaos' }),
  },
  {
    method: 'POST',
    name: 'POST /v1/merchants/{id}/drawdowns',
    path: (id) => `/v1/merchants/${id}/drawdowns`,
    body: () => ({ amountMinor: '10000', currency: 'CNY', termDays: 30 }),
  },
  {
    method: 'POST',
    name: 'POST /v1/loans/{id}/repayments',
    path: (id) => `/v1/loans/${id}/repayments`,
    body: () => ({ amountMinor: '100', currency: 'CNY' }),
  },
  {
    method: 'PUT',
    name: 'PUT /v1/portfolio/budget',
    path: () => `/v1/portfolio/budget`,
    body: () => ({ currency: 'CNY', budgetMinor: '50000000000' }),
  },
];

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE loans; --",
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  '${7*7}',
  '{"$gt": ""}',
  '\u202e\u0000',
  '𝕸'.repeat(40),
  'a'.repeat(5_000),
];

/** A defect that makes a write invalid whatever else it carries. */
type Defect =
  | { kind: 'no-token' }
  | { kind: 'garbage-token'; token: string }
  | { kind: 'wrong-role' }
  | { kind: 'no-idempotency-key' }
  | { kind: 'bad-idempotency-key'; key: string }
  | { kind: 'broken-json'; cut: number }
  | { kind: 'wrong-type'; field: number; value: unknown }
  | { kind: 'missing-field'; field: number }
  | { kind: 'huge-body'; size: number }
  | { kind: 'not-json'; contentType: string }
  | { kind: 'bad-path'; parameter: string };

const defectArbitrary: fc.Arbitrary<Defect> = fc.oneof(
  fc.constant({ kind: 'no-token' as const }),
  fc
    .oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('Bearer', 'Basic YWxhZGRpbjpvcGVu', 'Bearer a.b.c', `Bearer ${'x'.repeat(9_000)}`),
    )
    .map((token) => ({ kind: 'garbage-token' as const, token })),
  fc.constant({ kind: 'wrong-role' as const }),
  fc.constant({ kind: 'no-idempotency-key' as const }),
  fc
    .oneof(
      fc.constantFrom('', 'k'.repeat(256), 'ключ', 'a b\tc', '\u0000'),
      fc.string({ minLength: 256, maxLength: 300 }),
    )
    .map((key) => ({ kind: 'bad-idempotency-key' as const, key })),
  fc.nat().map((cut) => ({ kind: 'broken-json' as const, cut })),
  fc
    .tuple(
      fc.nat(),
      fc.oneof(
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.nat(), { maxLength: 2 }),
        fc.constantFrom(...INJECTIONS.slice(0, 7)),
        fc.constant({ a: 1 }),
      ),
    )
    .map(([field, value]) => ({ kind: 'wrong-type' as const, field, value })),
  fc.nat().map((field) => ({ kind: 'missing-field' as const, field })),
  fc.integer({ min: 70_000, max: 200_000 }).map((size) => ({ kind: 'huge-body' as const, size })),
  fc
    .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', '')
    .map((contentType) => ({ kind: 'not-json' as const, contentType })),
  fc
    .constantFrom(...INJECTIONS, '', '%2e%2e', 'm-' + '9'.repeat(300))
    .map((parameter) => ({ kind: 'bad-path' as const, parameter })),
);

interface Request {
  readonly route: Route;
  readonly url: string;
  readonly init: RequestInit;
}

async function send(base: string, request: Request): Promise<number> {
  try {
    const response = await fetch(`${base}${request.url}`, {
      ...request.init,
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * Whether a wrong-type value could still be valid for the field: a reason is any text, and a
 * numeric termDays or a safe-integer amount is allowed as a JSON number by the contract.
 */
function stillValid(field: string, value: unknown): boolean {
  if (field === 'reason')
    return (
      typeof value === 'string' && value.length > 0 && value.length <= 512 && !/[\n\r\u0000]/.test(value)
    );
  if (field === 'termDays')
    return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 365;
  if (field === 'amountMinor' || field === 'budgetMinor')
    return Number.isSafeInteger(value) && (value as number) >= 0;
  return false;
}

export async function runHostileRest(
  run: ChaosRun,
  count: number,
): Promise<{ sent: number; routes: number; checks: CheckResult[] }> {
  const merchantId = run.merchantIds[0]!;
  const [loan] = await run.db.query(`SELECT loan_id::text FROM loans ORDER BY loan_id LIMIT 1`);
  const loanId: string = loan?.loan_id ?? '00000000-0000-4000-8000-000000000000';
  const readOnlyToken = await run.signToken(['ops:read']);
  const query = fc.dictionary(
    fc.constantFrom('limit', 'cursor', 'asOf', 'reason', 'topic', 'currency', 'action', 'target'),
    fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...INJECTIONS)),
    { maxKeys: 3 },
  );
  const cases = fc.sample(
    fc.tuple(fc.nat(), defectArbitrary, fc.constantFrom(...INJECTIONS, merchantId, loanId), query),
    {
      numRuns: count,
      seed: run.sizes.seedNumber,
    },
  );
  const before = await run.figures();
  const outcomes: HttpOutcome[] = [];
  const acceptedWrites: string[] = [];
  let index = 0;
  const requests: Request[] = cases.map(([pick, defect, parameter, query], serial) => {
    const route = ROUTES[pick % ROUTES.length]!;
    const pathParameter = route.path('').includes('/loans/') ? loanId : merchantId;
    if (route.body === undefined) {
      // Reads: odd path parameters and queries; any 2xx or 4xx is fine, a 5xx is not.
      const search = new URLSearchParams(query).toString();
      const url = `${route.path(encodeURIComponent(parameter))}${search === '' ? '' : `?${search}`}`;
      return {
        route,
        url,
        init: { method: route.method, headers: { authorization: `Bearer ${run.token}` } },
      };
    }
    const body: Record<string, unknown> = route.body(merchantId);
    const fields = Object.keys(body);
    const headers: Record<string, string> = {
      authorization: `Bearer ${run.token}`,
      'content-type': 'application/json',
      'idempotency-key': `chaos-fuzz-${serial}`,
    };
    let text: string | undefined;
    let path = route.path(pathParameter);
    switch (defect.kind) {
      case 'no-token':
        delete headers.authorization;
        break;
      case 'garbage-token':
        headers.authorization = defect.token.replace(/[^\t\x20-\x7e]/g, '?');
        break;
      case 'wrong-role':
        headers.authorization = `Bearer ${readOnlyToken}`;
        break;
      case 'no-idempotency-key':
        delete headers['idempotency-key'];
        break;
      case 'bad-idempotency-key':
        // fetch refuses header values with control characters or non-Latin-1: send them percent-encoded instead.
        headers['idempotency-key'] = /^[\x20-\x7e]*$/.test(defect.key)
          ? defect.key
          : encodeURIComponent(defect.key).padEnd(256, 'k');
        break;
      case 'broken-json': {
        const json = JSON.stringify(body);
        text = json.slice(0, defect.cut % json.length);
        break;
      }
      case 'wrong-type': {
        const field = fields[defect.field % fields.length]!;
        body[field] = stillValid(field, defect.value) ? { notA: field } : defect.value;
        break;
      }
      case 'missing-field':
        delete body[fields[defect.field % fields.length]!];
        break;
      case 'huge-body':
        body.padding = 'x'.repeat(defect.size);
        break;
      case 'not-json':
        if (defect.contentType === '') delete headers['content-type'];
        else headers['content-type'] = defect.contentType;
        break;
      case 'bad-path':
        path = route.path(encodeURIComponent(defect.parameter));
        // An empty or merely long id might still name nothing harmlessly; break the body too.
        if (!route.path('').includes('{')) body[fields[0]!] = [defect.parameter];
        break;
    }
    return { route, url: path, init: { method: route.method, headers, body: text ?? JSON.stringify(body) } };
  });

  const workers = Array.from({ length: 8 }, async () => {
    while (index < requests.length) {
      const request = requests[index++]!;
      const status = await send(run.apiBase, request);
      outcomes.push({ route: request.route.name, status });
      if (request.route.body !== undefined && status >= 200 && status < 300)
        acceptedWrites.push(`${request.route.name} ${String(request.init.body).slice(0, 80)} → ${status}`);
    }
  });
  await Promise.all(workers);
  const after = await run.figures();

  // Replayed Idempotency-Keys on a real write: one effect, the same answer, a 409 for another body.
  const replay = await replayedKeys(run, merchantId);

  const checks: CheckResult[] = [
    noServerErrors([...outcomes, ...replay.outcomes]),
    {
      name: 'every defective write refused (4xx)',
      passed: acceptedWrites.length === 0,
      examined: requests.filter((request) => request.route.body !== undefined).length,
      problems: acceptedWrites.slice(0, 5),
    },
    unchanged('no effect from refused requests (row counts, lines, loans, budget)', before, after),
    replay.check,
  ];
  return { sent: requests.length + replay.outcomes.length, routes: ROUTES.length, checks };
}

async function replayedKeys(
  run: ChaosRun,
  merchantId: string,
): Promise<{ outcomes: HttpOutcome[]; check: CheckResult }> {
  const url = `/v1/merchants/${merchantId}/credit-line/freeze`;
  const request = (reason: string): RequestInit => ({
    method: 'POST',
    headers: {
      authorization: `Bearer ${run.token}`,
      'content-type': 'application/json',
      'idempotency-key': `chaos-replay-${run.namespace.namespace}`,
    },
    body: JSON.stringify({ reason }),
  });
  const route = { method: 'POST' as const, name: 'POST freeze (replayed key)', path: () => url };
  const first = await send(run.apiBase, { route, url, init: request('chaos replay') });
  const afterFirst = await run.figures();
  const again = await send(run.apiBase, { route, url, init: request('chaos replay') });
  const other = await send(run.apiBase, { route, url, init: request('another body') });
  const afterReplays = await run.figures();
  const problems: string[] = [];
  if (again !== first) problems.push(`the same key and body answered ${again}, first ${first}`);
  if (other !== 409) problems.push(`the same key with another body answered ${other}, not 409`);
  const sameState = unchanged('replays', afterFirst, afterReplays);
  problems.push(...sameState.problems);
  return {
    outcomes: [first, again, other].map((status) => ({ route: route.name, status })),
    check: {
      name: 'replayed Idempotency-Key: same answer, no second effect, 409 on another body',
      passed: problems.length === 0,
      examined: 3,
      problems,
    },
  };
}
