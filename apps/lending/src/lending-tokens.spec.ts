import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lendingOptionsFromEnv } from './lending-config';
import { fileClock } from './lending-tokens';

describe('fileClock (LENDING_BUSINESS_CLOCK_FILE)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lending-clock-'));
  const file = path.join(dir, 'clock');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the instant afresh at each call', () => {
    const clock = fileClock(file);
    writeFileSync(file, '2026-09-01T00:00:00.000Z\n');
    expect(clock().toISOString()).toBe('2026-09-01T00:00:00.000Z');
    writeFileSync(file, '2026-09-02T00:00:00Z');
    expect(clock().toISOString()).toBe('2026-09-02T00:00:00.000Z');
  });

  it.each([
    ['', 'empty'],
    ['2026-09-01', 'a day'],
    ['2026-02-30T00:00:00Z', 'no such day'],
    ['soon', 'words'],
  ])('throws on %j (%s) rather than run as of another time', (text) => {
    writeFileSync(file, text);
    expect(() => fileClock(file)()).toThrow(/holds no UTC instant/);
  });

  it('throws when the file is missing', () => {
    expect(() => fileClock(path.join(dir, 'none'))()).toThrow();
  });

  it('is off unless the environment names an absolute path', () => {
    expect(lendingOptionsFromEnv({}).businessClockFile).toBeUndefined();
    expect(lendingOptionsFromEnv({ LENDING_BUSINESS_CLOCK_FILE: file }).businessClockFile).toBe(file);
    expect(() => lendingOptionsFromEnv({ LENDING_BUSINESS_CLOCK_FILE: 'relative/clock' })).toThrow(
      /LENDING_BUSINESS_CLOCK_FILE/,
    );
  });
});
