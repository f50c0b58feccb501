/**
 * The platform's auth pieces in a Nest app of their own (a child process): secure by default —
 * a route that declares neither @RequireRoles nor @Public stops the app at init, naming it —
 * and a handler gets its caller through @CurrentPrincipal().
 */
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { DEVELOPMENT_JWT_SECRET } from '../../libs/platform/src/auth/auth-config';
import { signHs256Token } from '../../libs/platform/src/auth/adapters/development-token';
import { waitUntil } from '../support/kafka-helpers';

jest.setTimeout(60_000);

const APP = resolve(__dirname, 'support/route-access-app.ts');

interface RunningApp {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function launch(env: Record<string, string>): RunningApp {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', APP], {
    cwd: resolve(__dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

describe('route access declarations and the principal', () => {
  it('an app with an undeclared route fails at init, naming only that route', async () => {
    const app = launch({ WITH_UNDECLARED_ROUTE: '1' });
    expect(await app.exited).toBe(1);
    expect(app.output()).not.toContain('LISTENING');
    expect(app.output()).toContain('Routes without a valid access declaration (secure by default)');
    expect(app.output()).toContain('ForgottenController.forgot (GET /forgotten/:id) declares no access');
    expect(app.output()).not.toContain('DeclaredController');
  });

  it('with every route declared it serves, and a handler sees its caller', async () => {
    const app = launch({});
    try {
      await waitUntil('the app to listen', () => /LISTENING \d+/.test(app.output()), 30_000);
      const base = `http://127.0.0.1:${/LISTENING (\d+)/.exec(app.output())![1]}`;
      expect((await fetch(`${base}/declared/open`)).status).toBe(200);
      expect((await fetch(`${base}/declared/whoami`)).status).toBe(401);
      const asTreasury = await signHs256Token(
        { subject: 'tess', roles: ['treasury', 'x:y'], ttlSeconds: 60 },
        DEVELOPMENT_JWT_SECRET,
        Date.now(),
      );
      const response = await fetch(`${base}/declared/whoami`, {
        headers: { authorization: `Bearer ${asTreasury}` },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ subject: 'tess', roles: ['treasury', 'x:y'] });
    } finally {
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
    }
  });
});
