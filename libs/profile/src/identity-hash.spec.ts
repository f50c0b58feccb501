import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { eventFingerprint, stockKeepingUnitKey, tieBreakerOf, warehouseKey } from './identity-hash';

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

describe('identity hashes (persisted in Redis: they must never change)', () => {
  it.each([
    ['/platform/orders', 'evt-1', '86588c990698927b'],
    ['/platform/warehouse', 'w-9', '4bb8e420480a4b4a'],
    ['x', '', '7c47767476c8e2b2'],
  ])('fingerprints (%s, %s) as %s', (source, id, expected) => {
    expect(eventFingerprint(source, id)).toBe(expected);
  });

  it('keys warehouses and SKUs as before', () => {
    expect(warehouseKey('wh-1')).toBe('85fe1f758ad4');
    expect(stockKeepingUnitKey('wh-1', 'sku-9')).toBe('d86aa07037f0');
  });

  it('fingerprints any source and id as 64 bits of SHA-256 over their length-prefixed join, whatever came before', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('/platform/orders', '/platform/logistics'), fc.string()), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.string({ maxLength: 300 }),
        fc.string({ maxLength: 200 }),
        (before, source, id) => {
          // Earlier calls (another source, the same one) leave no trace in the answer.
          for (const [earlierSource, earlierId] of before) eventFingerprint(earlierSource, earlierId);
          expect(eventFingerprint(source, id)).toBe(
            sha256Hex(`event\n${source.length}\n${source}\n${id}`).slice(0, 16),
          );
        },
      ),
    );
  });

  it('reads the tie-breaker as the top 16 bits of the fingerprint', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-fA-F]{16}$/), (fingerprint) => {
        expect(tieBreakerOf(fingerprint)).toBe(Number.parseInt(fingerprint.slice(0, 4), 16));
      }),
    );
    expect(tieBreakerOf('ffff000000000000')).toBe(65_535);
    expect(() => tieBreakerOf('0x12000000000000')).toThrow(RangeError);
    expect(() => tieBreakerOf('\u0010\u0011\u0012\u0013000000000000')).toThrow(RangeError);
  });
});
