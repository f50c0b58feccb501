import { ContractViolation, DeadLetterReason } from '@lendstream/contracts';
import type { ProfileApplyStatus } from '../profile-changed-signal';

export type { ProfileApplyStatus };

/** How a duplicate was recognised: its position (a Kafka redelivery) or its fingerprint (a re-published copy). */
export type DuplicateKind = 'REDELIVERY' | 'REPUBLISHED_COPY';

/** What became of one message of a batch. */
export interface MessageApplyOutcome {
  readonly offset: string;
  readonly merchantId: string;
  /** NaN only for an event refused because its time cannot be stored. */
  readonly eventTimeMs: number;
  readonly status: ProfileApplyStatus;
  readonly duplicateKind?: DuplicateKind;
  /** Set for REJECTED: the transport dead-letters the message with this reason. */
  readonly violation?: ContractViolation;
}

export const rejectedOutcome = (
  offset: string,
  merchantId: string,
  eventTimeMs: number,
  violation: ContractViolation,
): MessageApplyOutcome => ({ offset, merchantId, eventTimeMs, status: 'REJECTED', violation });

/** The script's one-letter answers (see apply-profile.lua). */
export function outcomeOfLetter(
  letter: string,
  offset: string,
  merchantId: string,
  eventTimeMs: number,
  currency: string | null,
): MessageApplyOutcome {
  switch (letter) {
    case 'A':
      return { offset, merchantId, eventTimeMs, status: 'APPLIED' };
    case 'R':
      return { offset, merchantId, eventTimeMs, status: 'DUPLICATE', duplicateKind: 'REDELIVERY' };
    case 'F':
      return { offset, merchantId, eventTimeMs, status: 'DUPLICATE', duplicateKind: 'REPUBLISHED_COPY' };
    case 'C':
      return rejectedOutcome(offset, merchantId, eventTimeMs, {
        reason: DeadLetterReason.CURRENCY_MISMATCH,
        field: 'data.currency',
        message: `data.currency: ${currency} is not the currency of merchant ${merchantId}'s earlier money events`,
      });
    default:
      throw new Error(`profile script answered "${letter}" for offset ${offset}`);
  }
}
