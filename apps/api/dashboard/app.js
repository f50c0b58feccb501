// The finance-operations dashboard: one page, three views (overview, merchant, dead letters),
// reading only the public /v1 routes and the live feed, with the operator's bearer token.
import {
  apiGet,
  apiPost,
  ApiError,
  claimsOf,
  forgetToken,
  storedToken,
  storeToken,
  whenUnauthenticated,
} from './api.js';
import { barChart, stepChart } from './charts.js';
import { followFeed } from './feed.js';
import { chartNumber, el, instant, money, percentFromBps, reasonCodes, table } from './format.js';

const FEED_ROWS_MAX = 200;
const DECISION_PAGES_MAX = 5;
const $ = (id) => document.getElementById(id);

let session; // { subject, roles, feed: AbortController }

function showSignIn(message = '') {
  session?.feed.abort();
  session = undefined;
  forgetToken();
  $('app').hidden = true;
  $('session').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
}

async function signIn(token) {
  const claims = claimsOf(token);
  if (claims === undefined) return showSignIn('That is not a JSON Web Token.');
  storeToken(token);
  try {
    await apiGet('/v1/portfolio'); // proves the token before anything is shown
  } catch (error) {
    return showSignIn(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error));
  }
  session = { ...claims, feed: new AbortController() };
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('session').hidden = false;
  $('who').textContent = `${claims.subject} · ${claims.roles.join(', ')}`;
  startFeed();
  route();
}

const canWrite = () => session?.roles.includes('ops:write') === true;

// ---- routing: #/overview, #/merchant/<id>, #/dead-letters -------------------------------------

function route() {
  if (session === undefined) return;
  const [, view = 'overview', argument] = location.hash.split('/');
  for (const name of ['overview', 'merchant', 'dead-letters']) {
    $(`view-${name}`).hidden = name !== view;
    document.querySelector(`nav a[data-view="${name}"]`).classList.toggle('current', name === view);
  }
  if (view === 'overview') void showPortfolio();
  if (view === 'merchant' && argument) void showMerchant(decodeURIComponent(argument));
  if (view === 'dead-letters') void showDeadLetters();
}

// ---- overview: the portfolio and the live feed -------------------------------------------------

async function showPortfolio() {
  const target = $('portfolio');
  try {
    const portfolio = await apiGet('/v1/portfolio');
    target.replaceChildren(
      ...(portfolio.currencies.length === 0 ? [el('p', { class: 'muted' }, 'No lines or loans yet.')] : []),
      ...portfolio.currencies.map((currency) => currencyPanel(currency)),
      el('p', { class: 'muted' }, `as of ${instant(portfolio.asOf)}`),
    );
  } catch (error) {
    target.replaceChildren(errorLine(error));
  }
}

function currencyPanel(view) {
  const { currency, budget, lines, loans } = view;
  const exposure = [
    {
      label: 'budget',
      value: chartNumber(budget.budgetMinor),
      text: money(budget.budgetMinor, currency),
      tone: 'budget',
    },
    {
      label: 'used by lines',
      value: chartNumber(budget.usedMinor),
      text: money(budget.usedMinor, currency),
      tone: 'used',
    },
    {
      label: 'loans outstanding',
      value: chartNumber(loans.exposureMinor),
      text: money(loans.exposureMinor, currency),
      tone: 'exposure',
    },
    {
      label: 'reserved',
      value: chartNumber(loans.reservedMinor),
      text: money(loans.reservedMinor, currency),
      tone: 'reserved',
    },
  ];
  const buckets = Object.entries(loans.activeByBucket).map(([bucket, amounts]) => ({
    label: bucket.replace('DPD_', '').replace('_PLUS', '+').replace('_', '–'),
    value: chartNumber(amounts.outstandingPrincipalMinor) + chartNumber(amounts.outstandingInterestMinor),
    text: `${money((BigInt(amounts.outstandingPrincipalMinor) + BigInt(amounts.outstandingInterestMinor)).toString(), currency)} · ${amounts.count}`,
    tone: bucket === 'CURRENT' ? 'current' : 'late',
  }));
  return el(
    'div',
    { class: 'currency', 'data-currency': currency },
    el(
      'h3',
      {},
      currency,
      ' ',
      el('span', { class: 'muted' }, `budget used ${percentFromBps(budget.usedBps)}`),
    ),
    el('h4', {}, 'Exposure against the budget'),
    el(
      'div',
      { id: `exposure-${currency}` },
      barChart(exposure, {
        max: exposure[0].value || undefined,
        ariaLabel: `exposure against the budget, ${currency}`,
      }),
    ),
    el('h4', {}, 'Outstanding by days past due'),
    el(
      'div',
      { id: `buckets-${currency}` },
      barChart(buckets, { ariaLabel: `outstanding by days past due, ${currency}` }),
    ),
    el(
      'p',
      { class: 'muted' },
      `lines: ${lines.byStatus.ACTIVE.count} active, ${lines.byStatus.FROZEN.count} frozen, ${lines.byStatus.CLOSED.count} closed · available to draw ${money(lines.availableMinor, currency)}`,
    ),
  );
}

function startFeed() {
  const status = $('feed-status');
  void followFeed({
    signal: session.feed.signal,
    onState: (state) => {
      status.textContent = state;
      status.className = `status ${state}`;
    },
    onEvent: (item) => {
      const rows = $('feed');
      $('feed-empty').hidden = true;
      rows.prepend(
        el(
          'tr',
          {
            'data-event-id': item.id,
            'data-merchant': item.merchantId,
            'data-type': item.type,
            class: item.type.replace('.', '-'),
          },
          el('td', {}, instant(item.time)),
          el(
            'td',
            {},
            el('a', { href: `#/merchant/${encodeURIComponent(item.merchantId)}` }, item.merchantId),
          ),
          el('td', {}, item.type.replace('credit-line.', '')),
          el('td', {}, item.status),
          el('td', {}, money(item.limitMinor, item.currency)),
          el('td', {}, money(item.availableMinor, item.currency)),
          el('td', {}, `${item.score} (${item.grade})`),
          el('td', {}, reasonCodes(item.reasons)),
        ),
      );
      while (rows.children.length > FEED_ROWS_MAX) rows.lastElementChild.remove();
    },
  });
}

// ---- merchant ----------------------------------------------------------------------------------

async function optional(promise) {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}

async function allDecisions(merchantId) {
  const decisions = [];
  let cursor = null;
  for (let page = 0; page < DECISION_PAGES_MAX; page += 1) {
    const query = `?limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const result = await apiGet(`/v1/merchants/${encodeURIComponent(merchantId)}/decisions${query}`);
    decisions.push(...result.items);
    cursor = result.nextCursor;
    if (cursor === null) break;
  }
  return decisions;
}

async function showMerchant(merchantId) {
  $('merchant-id').value = merchantId;
  const body = $('merchant-body');
  body.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  const path = `/v1/merchants/${encodeURIComponent(merchantId)}`;
  const [line, profile, decisions, loans] = await Promise.all([
    optional(apiGet(`${path}/credit-line`)),
    optional(apiGet(`${path}/profile`)),
    optional(allDecisions(merchantId)),
    optional(apiGet(`${path}/loans?limit=100`)),
  ]);
  body.replaceChildren(
    el('h2', { id: 'merchant-title' }, merchantId),
    el(
      'div',
      { class: 'panel' },
      el('h3', {}, 'Credit line'),
      line.error ? errorLine(line.error) : linePanel(merchantId, line.value),
    ),
    el(
      'div',
      { class: 'panel' },
      el('h3', {}, 'Score and limit'),
      decisions.error ? errorLine(decisions.error) : historyCharts(decisions.value),
    ),
    el(
      'div',
      { class: 'panel' },
      el('h3', {}, 'Profile'),
      profile.error ? errorLine(profile.error) : profilePanel(profile.value),
    ),
    el(
      'div',
      { class: 'panel' },
      el('h3', {}, 'Decisions'),
      decisions.error ? errorLine(decisions.error) : decisionTable(decisions.value),
    ),
    el(
      'div',
      { class: 'panel' },
      el('h3', {}, 'Loans'),
      loans.error ? errorLine(loans.error) : loanTable(loans.value.items),
    ),
  );
}

function linePanel(merchantId, line) {
  const facts = el(
    'dl',
    { class: 'facts' },
    el('dt', {}, 'status'),
    el(
      'dd',
      { id: 'line-status', class: `line-${line.status.toLowerCase()}` },
      line.status,
      line.manualFreeze ? ' (manual)' : '',
    ),
    el('dt', {}, 'limit'),
    el('dd', {}, money(line.limitMinor, line.currency)),
    el('dt', {}, 'available'),
    el('dd', {}, money(line.availableMinor, line.currency)),
    el('dt', {}, 'outstanding'),
    el('dd', {}, money(line.outstandingMinor, line.currency)),
    el('dt', {}, 'grade · score'),
    el('dd', {}, `${line.grade} · ${line.score}`),
    el('dt', {}, 'daily rate'),
    el('dd', {}, `${line.dailyRateBps} bps`),
    el('dt', {}, 'decided'),
    el('dd', {}, `${instant(line.decidedAt)} (policy ${line.policyVersion})`),
    el('dt', {}, 'reasons'),
    el('dd', {}, reasonCodes(line.reasons)),
  );
  return el('div', {}, facts, canWrite() ? lineActions(merchantId, line) : null);
}

/** Freeze and unfreeze: only for ops:write (the API refuses the others anyway). */
function lineActions(merchantId, line) {
  const reason = el('input', {
    id: 'line-action-reason',
    placeholder: 'reason (recorded in the audit log)',
    maxlength: 512,
  });
  const result = el('p', { id: 'line-action-result', role: 'status' });
  const act = (action) => async () => {
    if (reason.value.trim() === '') {
      result.textContent = 'A reason is required.';
      return;
    }
    result.textContent = `${action}…`;
    try {
      await apiPost(`/v1/merchants/${encodeURIComponent(merchantId)}/credit-line/${action}`, {
        reason: reason.value.trim(),
      });
      await showMerchant(merchantId);
      $('line-action-result').textContent = `${action === 'freeze' ? 'Frozen' : 'Unfrozen'}.`;
    } catch (error) {
      result.replaceChildren(errorLine(error));
    }
  };
  return el(
    'div',
    { class: 'actions' },
    reason,
    el(
      'button',
      {
        id: 'freeze-button',
        type: 'button',
        disabled: line.manualFreeze || line.status === 'CLOSED',
        onclick: act('freeze'),
      },
      'Freeze',
    ),
    el(
      'button',
      { id: 'unfreeze-button', type: 'button', disabled: !line.manualFreeze, onclick: act('unfreeze') },
      'Unfreeze',
    ),
    result,
  );
}

function historyCharts(decisions) {
  const points = decisions.filter((decision) => decision.line !== null);
  const scores = decisions
    .filter((decision) => typeof decision.assessment?.score === 'number')
    .map((decision) => ({ at: Date.parse(decision.decidedAt), value: decision.assessment.score }));
  const limits = points.map((decision) => ({
    at: Date.parse(decision.decidedAt),
    value: chartNumber(decision.line.limitMinor),
  }));
  const currency = points[0]?.line.currency ?? '';
  return el(
    'div',
    { class: 'charts' },
    el(
      'div',
      { id: 'score-chart' },
      el('h4', {}, 'score'),
      stepChart(scores, { label: 'score history', tone: 'score' }),
    ),
    el(
      'div',
      { id: 'limit-chart' },
      el('h4', {}, 'limit'),
      stepChart(limits, {
        label: 'limit history',
        tone: 'limit',
        format: (value) => money(BigInt(Math.round(value)).toString(), currency),
      }),
    ),
  );
}

function profilePanel(profile) {
  const rate = (ratio) => percentFromBps(ratio.basisPoints);
  return el(
    'div',
    {},
    el(
      'p',
      { class: 'muted' },
      `as of ${instant(profile.asOf)} · first seen ${instant(profile.firstSeenAt)} · receivables ${money(profile.receivablesOutstandingMinor, profile.currency)} · inventory ${money(profile.inventory.valueMinor, profile.currency)}`,
    ),
    table(
      [
        'window',
        'paid',
        'orders',
        'refund rate',
        'cancel rate',
        'stock-outs',
        'on time',
        'returns',
        'active days',
      ],
      profile.windows.map((window) =>
        el(
          'tr',
          {},
          el('td', {}, `${window.windowDays} d`),
          el('td', {}, money(window.paidAmountMinor, profile.currency)),
          el('td', {}, window.paidOrders),
          el('td', {}, rate(window.rates.refundRate)),
          el('td', {}, rate(window.rates.cancelRate)),
          el('td', {}, window.stockouts),
          el('td', {}, rate(window.rates.onTimeDeliveryRate)),
          el('td', {}, rate(window.rates.returnRate)),
          el('td', {}, window.activeDays),
        ),
      ),
    ),
  );
}

function decisionTable(decisions) {
  if (decisions.length === 0) return el('p', { class: 'muted' }, 'No decisions.');
  return table(
    ['decided', 'trigger', 'event', 'grade · score', 'limit', 'status', 'reasons'],
    decisions.map((decision) =>
      el(
        'tr',
        { 'data-decision-id': decision.decisionId },
        el('td', {}, instant(decision.decidedAt)),
        el('td', {}, decision.trigger.kind),
        el('td', {}, decision.event ?? '—'),
        el(
          'td',
          {},
          decision.assessment
            ? `${decision.assessment.grade ?? '—'} · ${decision.assessment.score ?? '—'}`
            : '—',
        ),
        el('td', {}, decision.line ? money(decision.line.limitMinor, decision.line.currency) : '—'),
        el('td', {}, decision.line?.status ?? decision.rejection ?? '—'),
        el('td', {}, reasonCodes(decision.reasons)),
      ),
    ),
  );
}

function loanTable(loans) {
  if (loans.length === 0) return el('p', { class: 'muted' }, 'No loans.');
  return table(
    ['requested', 'status', 'principal', 'outstanding', 'interest', 'due', 'days past due'],
    loans.map((loan) =>
      el(
        'tr',
        { 'data-loan-id': loan.loanId },
        el('td', {}, instant(loan.requestedAt)),
        el('td', {}, loan.status),
        el('td', {}, money(loan.principalMinor, loan.currency)),
        el('td', {}, money(loan.outstandingPrincipalMinor, loan.currency)),
        el('td', {}, money(loan.accruedInterestMinor, loan.currency)),
        el('td', {}, instant(loan.dueAt)),
        el('td', {}, loan.daysPastDue ?? '—'),
      ),
    ),
  );
}

// ---- dead letters ------------------------------------------------------------------------------

let deadLetterCursor = null;

async function showDeadLetters() {
  const chart = $('dead-letter-chart');
  try {
    const { byReason } = await apiGet('/v1/dead-letters/summary');
    const select = $('dead-letter-reason');
    const chosen = select.value;
    select.replaceChildren(
      el('option', { value: '' }, 'every reason'),
      ...byReason.map((entry) => el('option', { value: entry.reason }, entry.reason)),
    );
    select.value = chosen;
    chart.replaceChildren(
      byReason.length === 0
        ? el('p', { class: 'muted' }, 'No dead letters.')
        : barChart(
            byReason.map((entry) => ({
              label: entry.reason,
              value: entry.count,
              text: `${entry.count} · newest ${instant(entry.latestAt)}`,
              tone: 'late',
            })),
            { width: 760, labelWidth: 230, ariaLabel: 'dead letters by reason' },
          ),
    );
  } catch (error) {
    chart.replaceChildren(errorLine(error));
  }
  await loadDeadLetters(true);
}

async function loadDeadLetters(fresh) {
  const rows = $('dead-letters');
  if (fresh) {
    deadLetterCursor = null;
    rows.replaceChildren();
  }
  const reason = $('dead-letter-reason').value;
  const query = new URLSearchParams({ limit: '50' });
  if (reason) query.set('reason', reason);
  if (deadLetterCursor) query.set('cursor', deadLetterCursor);
  try {
    const page = await apiGet(`/v1/dead-letters?${query}`);
    rows.append(
      ...page.items.map((item) =>
        el(
          'tr',
          { 'data-reason': item.reason },
          el('td', {}, instant(item.deadLetteredAt)),
          el('td', {}, el('span', { class: 'reason' }, item.reason)),
          el('td', { class: 'wrap' }, item.error ?? '—'),
          el(
            'td',
            {},
            item.sourceTopic ? `${item.sourceTopic} [${item.sourcePartition}] @${item.sourceOffset}` : '—',
          ),
          el('td', {}, item.service ?? '—'),
          el('td', {}, item.key ?? '—'),
          el('td', {}, item.eventType ? `${item.eventType} ${item.eventId ?? ''}` : '—'),
          el(
            'td',
            { class: 'payload', title: item.payload ?? '' },
            (item.payload ?? '').slice(0, 120),
            item.payloadTruncated ? ` … (${item.payloadBytes} bytes)` : '',
          ),
        ),
      ),
    );
    deadLetterCursor = page.nextCursor;
    $('dead-letters-more').hidden = deadLetterCursor === null;
  } catch (error) {
    rows.append(el('tr', {}, el('td', { colspan: 8 }, errorLine(error))));
  }
}

// ---- wiring ------------------------------------------------------------------------------------

function errorLine(error) {
  const text =
    error instanceof ApiError ? `${error.code}: ${error.message}` : String(error?.message ?? error);
  return el('p', { class: 'error' }, text);
}

window.addEventListener('DOMContentLoaded', () => {
  whenUnauthenticated((message) => showSignIn(`Signed out: ${message}`));
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn($('token').value.trim());
  });
  $('sign-out').addEventListener('click', () => showSignIn());
  $('merchant-form').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/merchant/${encodeURIComponent($('merchant-id').value.trim())}`;
  });
  $('dead-letter-reason').addEventListener('change', () => void loadDeadLetters(true));
  $('dead-letters-more').addEventListener('click', () => void loadDeadLetters(false));
  window.addEventListener('hashchange', route);
  const token = storedToken();
  if (token) void signIn(token);
  else showSignIn();
});
