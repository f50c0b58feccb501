import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { decodeEvent } from '@lendstream/contracts';
import { runCli } from './cli';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

describe('runCli', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'simulate-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const run = async (argv: string[]) => {
    const stdout = capture();
    const stderr = capture();
    const code = await runCli(argv, { env: {}, stdout: stdout.stream, stderr: stderr.stream });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  };

  it('writes JSON lines {topic,key,value} that decode, and reports counts per topic', async () => {
    const file = path.join(directory, 'market.jsonl');
    const { code, stdout, stderr } = await run([
      '--seed',
      'cli',
      '--merchants',
      '3',
      '--days',
      '9',
      '--out',
      file,
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    for (const line of lines) {
      const record = JSON.parse(line) as { topic: string; key: string; value: string };
      expect(Object.keys(record)).toEqual(['topic', 'key', 'value']);
      expect(decodeEvent(record).ok).toBe(true);
    }
    expect(stdout).toContain(`published ${lines.length} events to ${file}`);
    expect(stdout).toMatch(/scf\.orders\.v1\s+\d+/);
    expect(stdout).toMatch(/order\.paid\s+\d+/);
  });

  it('exits 2 with one line naming a bad flag', async () => {
    expect(await run(['--merchant', '3'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'simulate: unknown flag --merchant (see --help)\n',
    });
  });

  it('exits 1 naming the cause when it cannot write', async () => {
    const { code, stderr } = await run(['--days', '1', '--out', path.join(directory, 'missing', 'x.jsonl')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^simulate: failed publishing to .*ENOENT/);
  });

  it('prints usage for --help, naming the treasury subcommand', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--seed <text>');
    expect(stdout).toContain('npm run simulate -- treasury [flags]');
  });

  describe('treasury', () => {
    it('prints its own usage for --help', async () => {
      const { code, stdout } = await run(['treasury', '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain('--delay-ms <ms>');
      expect(stdout).toContain('--fail-share <x>');
      expect(stdout).not.toContain('--merchants');
    });

    it('exits 2 with one line naming a bad flag', async () => {
      expect(await run(['treasury', '--fail-share', '2'])).toEqual({
        code: 2,
        stdout: '',
        stderr:
          'simulate treasury: --fail-share must be a share from 0 to 1 with at most four decimals (such as 0.05), got "2" (see treasury --help)\n',
      });
    });

    it('takes market flags for what they are: unknown to the treasury', async () => {
      const { code, stderr } = await run(['treasury', '--days', '3']);
      expect(code).toBe(2);
      expect(stderr).toBe('simulate treasury: unknown flag --days (see treasury --help)\n');
    });
  });
});
