import { localCluster } from './chaos-run';

/**
 * Whether the chaos run may restart the Postgres server: only a local cluster this machine's
 * pg_ctlcluster runs, and never when turned off. The answers that need no pg_lsclusters.
 */
describe('localCluster', () => {
  it('is turned off by CHAOS_POSTGRES_SERVER_RESTART=0', async () => {
    expect(
      await localCluster('postgres://u:p@127.0.0.1:5432/db', { CHAOS_POSTGRES_SERVER_RESTART: '0' }),
    ).toBe('turned off: CHAOS_POSTGRES_SERVER_RESTART=0');
  });

  it('never restarts a server on another machine', async () => {
    expect(await localCluster('postgres://u:p@db.internal:5433/db', {})).toBe(
      'the server db.internal:5433 is not on this machine',
    );
  });
});
