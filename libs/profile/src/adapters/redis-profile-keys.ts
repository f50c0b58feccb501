import { ProfileSource } from '../profile-state';

/**
 * Every key of one merchant carries the merchant id as a Redis Cluster hash tag, so a
 * merchant's keys share a slot (the script touches several atomically) while merchants
 * spread over the cluster. The prefix lets a replay rebuild into a fresh namespace.
 */
export const KEY_PREFIX_PATTERN = /^[A-Za-z0-9._-]{1,32}$/;

export function assertValidKeyPrefix(prefix: string): void {
  if (!KEY_PREFIX_PATTERN.test(prefix)) {
    throw new RangeError(`profile key prefix "${prefix}" must be 1-32 characters of A-Z a-z 0-9 . _ -`);
  }
}

/** One letter per input stream, in the fingerprint keys' names. */
const SOURCE_KEY_LETTER: Readonly<Record<ProfileSource, string>> = {
  orders: 'o',
  warehouse: 'w',
  logistics: 'l',
};

/** `<prefix>:{<merchantId>}:p`: the profile (header, day records, stock state) in one string. */
export const profileKey = (prefix: string, merchantId: string): string => `${prefix}:{${merchantId}}:p`;

/** `<prefix>:{<merchantId>}:f:<o|w|l>`: the recent event fingerprints of one input stream. */
export const fingerprintKey = (prefix: string, merchantId: string, source: ProfileSource): string =>
  `${prefix}:{${merchantId}}:f:${SOURCE_KEY_LETTER[source]}`;
