/**
 * The dashboard end to end in a real headless Chromium (Debian's chromium, driven by
 * playwright-core) against the real API, profiler and underwriter on a topic namespace and a
 * database of their own: an operator signs in with a token, sees a merchant's line granted in
 * the live feed as the underwriter decides it, opens the merchant page (profile, score and
 * limit charts, decisions), freezes the line and sees the freeze arrive in the feed; with
 * ops:read only, the page shows no freeze button. Screenshots are saved as
 * test-results/dashboard.png (the overview) and test-results/dashboard-merchant.png.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Topics, type TopicName } from '@lendstream/contracts';
import { merchantRoster, simulateMarket } from '@lendstream/simulation';
import { type Browser, chromium, type Page } from 'playwright-core';
import { signHs256Token } from '../../libs/platform/src/auth/adapters/development-token';
import { ApiProcess } from '../api/support/api-process';
import { ApiTestDatabase } from '../api/support/api-test-database';
import { produceInBulk } from '../profile/support/kafka-market';
import { ProfilerProcess } from '../profile/support/profiler-process';
import { connectRedis, deleteKeysUnder, uniqueKeyPrefix } from '../profile/support/redis-namespace';
import { KafkaTestKit } from '../support/kafka-helpers';
import { UnderwriterProcess } from '../underwriter/support/underwriter-process';
import { chromiumVersion, ensureChromium } from './support/chromium';

jest.setTimeout(300_000);

const SECRET = `dashboard-int-spec-${randomUUID()}`;
const SCREENSHOT = join(__dirname, '..', '..', 'test-results', 'dashboard.png');
const MERCHANT_SCREENSHOT = join(__dirname, '..', '..', 'test-results', 'dashboard-merchant.png');
const TOPICS: readonly TopicName[] = [
  Topics.orders,
  Topics.warehouse,
  Topics.logistics,
  Topics.deadLetters,
  Topics.profileChanged,
  Topics.creditLines,
  Topics.loans,
];
const MARKET = {
  seed: 'dashboard-e2e',
  merchants: 1,
  days: 100,
  start: '2026-05-01',
  archetypeMix: { steady: 1 },
} as const;
const GRANT_TIMEOUT_MS = 150_000;
const EVENT_TIMEOUT_MS = 60_000;

const token = (subject: string, roles: string[]) =>
  signHs256Token({ subject, roles, ttlSeconds: 1_800 }, SECRET, Date.now());

describe('the dashboard in headless Chromium', () => {
  let kit: KafkaTestKit;
  let database: ApiTestDatabase;
  let profiler: ProfilerProcess | undefined;
  let underwriter: UnderwriterProcess | undefined;
  let api: ApiProcess | undefined;
  let browser: Browser | undefined;
  const redis = connectRedis();
  const keyPrefix = uniqueKeyPrefix('dash');
  const merchantId = merchantRoster(MARKET)[0]!.merchantId;
  const problems: string[] = [];

  const watch = (page: Page) => {
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A failed request is reported below with its address; everything else is a problem.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        problems.push(`console error: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
  };
  const signIn = async (page: Page, bearer: string) => {
    await page.goto(`${api!.baseUrl}/dashboard`);
    await page.fill('#token', bearer);
    await page.click('#sign-in-button');
    await page.waitForSelector('#app:not([hidden])');
  };

  beforeAll(async () => {
    const executablePath = ensureChromium();
    console.log(`chromium: ${chromiumVersion(executablePath)}`);
    kit = await KafkaTestKit.create('dashboard', TOPICS, { partitions: 2 });
    database = await ApiTestDatabase.create('dashboard');
    const shared = { KAFKA_TOPIC_NAMESPACE: kit.namespace, PROFILE_KEY_PREFIX: keyPrefix };
    [profiler, underwriter, api] = await Promise.all([
      ProfilerProcess.start({ ...shared, PROFILER_GROUP_ID: kit.groupId('profiler') }),
      UnderwriterProcess.start({
        ...shared,
        DATABASE_URL: database.url,
        UNDERWRITER_GROUP_ID: kit.groupId('underwriter'),
        SILENCE_SWEEP_INTERVAL_MS: '0',
        BUDGET_SWEEP_INTERVAL_MS: '0',
      }),
      ApiProcess.start({ ...shared, DATABASE_URL: database.url, AUTH_JWT_SECRET: SECRET }),
    ]);
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await Promise.all(
      [api?.stop(), underwriter?.stop(), profiler?.stop()].map((stop) => stop?.catch(() => undefined)),
    );
    await kit?.cleanup();
    await database?.cleanup();
    await deleteKeysUnder(redis, keyPrefix).catch(() => undefined);
    await redis.quit();
  });

  it('signs in, sees a line granted live, freezes it from the merchant page and sees the freeze', async () => {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
    watch(page);
    await signIn(page, await token('alice', ['ops:read', 'ops:write']));
    await expect(page.textContent('#who')).resolves.toBe('alice · ops:read, ops:write');
    await page.waitForSelector('#portfolio .currency, #portfolio p.muted');
    // Live only once the API consumes the topic: from then on, every event reaches the page.
    await page.waitForSelector('#feed-status.live', { timeout: EVENT_TIMEOUT_MS });

    await produceInBulk(
      kit,
      [...simulateMarket(MARKET)].map(({ topic, event }) => ({ topic, event })),
    );
    const granted = `#feed tr[data-merchant="${merchantId}"][data-type="credit-line.granted"]`;
    await page.waitForSelector(granted, { timeout: GRANT_TIMEOUT_MS });
    await expect(page.textContent(`${granted} td:nth-child(4)`)).resolves.toBe('ACTIVE');

    await page.click(`${granted} a`);
    await page.waitForSelector('#line-status');
    await expect(page.textContent('#line-status')).resolves.toContain('ACTIVE');
    await page.waitForSelector('#score-chart svg path.line');
    await page.waitForSelector('#limit-chart svg path.line');
    expect(await page.locator('[data-decision-id]').count()).toBeGreaterThan(0);
    expect(await page.locator('#merchant-body table tr').count()).toBeGreaterThan(4); // profile windows too

    await page.fill('#line-action-reason', 'e2e: suspected fraud, under review');
    await page.click('#freeze-button');
    await page.waitForSelector('#line-status:has-text("FROZEN")', { timeout: EVENT_TIMEOUT_MS });
    await expect(page.textContent('#line-action-result')).resolves.toBe('Frozen.');
    await expect(page.isDisabled('#unfreeze-button')).resolves.toBe(false);
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: MERCHANT_SCREENSHOT, fullPage: true });

    // The freeze is published by the underwriter's outbox relay and reaches the feed.
    await page.click('nav a[data-view="overview"]');
    const frozen = `#feed tr[data-merchant="${merchantId}"][data-type="credit-line.frozen"]`;
    await page.waitForSelector(frozen, { timeout: EVENT_TIMEOUT_MS });
    await expect(page.textContent(`${frozen} td:last-child`)).resolves.toContain('MANUAL_FREEZE');
    await page.waitForSelector('#portfolio .currency[data-currency="CNY"] svg rect.bar');

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = readFileSync(SCREENSHOT);
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    await page.click('nav a[data-view="dead-letters"]');
    await page.waitForSelector('#dead-letter-chart p, #dead-letter-chart svg');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('shows no freeze button to ops:read alone', async () => {
    const page = await browser!.newPage();
    watch(page);
    await signIn(page, await token('bob', ['ops:read']));
    await page.goto(`${api!.baseUrl}/dashboard#/merchant/${merchantId}`);
    await page.waitForSelector('#line-status');
    expect(await page.locator('#freeze-button').count()).toBe(0);
    expect(await page.locator('#unfreeze-button').count()).toBe(0);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('refuses a bad token at sign-in and says why', async () => {
    const page = await browser!.newPage();
    await page.goto(`${api!.baseUrl}/dashboard`);
    await page.fill(
      '#token',
      await signHs256Token(
        { subject: 'eve', roles: ['ops:read'], ttlSeconds: 60 },
        `${SECRET}-other`,
        Date.now(),
      ),
    );
    await page.click('#sign-in-button');
    await page.waitForSelector('#sign-in-error:has-text("UNAUTHENTICATED")');
    await expect(page.isHidden('#app')).resolves.toBe(true);
    await page.close();
  });
});
