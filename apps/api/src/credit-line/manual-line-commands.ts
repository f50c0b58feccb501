import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  applyManualLineCommand,
  DecisionTimeMovedError,
  lastDecidedAtOf,
  livePolicy,
  ManualLineCommand,
  manualDecisionTime,
  toJsonSafe,
} from '@lendstream/credit';
import type { RedisProfileStore } from '@lendstream/profile';
import {
  auditTarget,
  IdempotentOutcome,
  Principal,
  recordAuditEntry,
  runIdempotent,
} from '@lendstream/platform';
import { API_PROFILE_STORE } from '../api-tokens';
import { readProfileAsOf } from '../profile/profile-store.provider';
import { manualLineView, refusalResponse } from './manual-line-views';

export type ManualLineAction = 'freeze' | 'unfreeze';

/** Who asked, and the request as it came: for the idempotency key and the audit entry. */
export interface ManualLineContext {
  readonly principal: Principal;
  readonly requestId: string;
  readonly idempotencyKey: string;
  readonly fingerprint: string;
}

/** A decision newer than ours committed between the read and the lock: re-read and go again, this often. */
const ATTEMPTS_MAX = 3;

export const manualLineRoute = (action: ManualLineAction): string =>
  `POST /v1/merchants/:merchantId/credit-line/${action}`;

/**
 * Operations' freeze and unfreeze, as idempotent, audited writes: one transaction holds the
 * idempotency key, the decision, the line, its outbox event and the audit entry
 * (applyManualLineCommand inside runIdempotent), so they commit together or not at all. A
 * refusal of the credit core (no line, a line not manually frozen) is a response stored with
 * the key, with no decision and no audit entry.
 *
 * The decision is made as of the request's wall clock, or as of the line's last decision if
 * that is later (event time can run ahead of the clock in a replay); an unfreeze runs the live
 * policy on the profile as of that instant, read before the transaction.
 */
@Injectable()
export class ManualLineCommands {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(API_PROFILE_STORE) private readonly profiles: RedisProfileStore,
  ) {}

  async run(
    action: ManualLineAction,
    merchantId: string,
    reason: string,
    context: ManualLineContext,
  ): Promise<IdempotentOutcome> {
    const command: ManualLineCommand =
      action === 'freeze' ? { kind: 'manual-freeze', message: reason } : { kind: 'manual-unfreeze' };
    const route = manualLineRoute(action);
    for (let attempt = 1; ; attempt += 1) {
      const requestedAt = new Date().toISOString();
      const now = manualDecisionTime(requestedAt, await lastDecidedAtOf(this.dataSource.manager, merchantId));
      const profile =
        action === 'unfreeze' ? await readProfileAsOf(this.profiles, merchantId, new Date(now)) : null;
      try {
        return await runIdempotent(
          this.dataSource,
          {
            scope: `${route}|${context.principal.subject}`,
            key: context.idempotencyKey,
            fingerprint: context.fingerprint,
          },
          async (manager) => {
            const auditId = randomUUID();
            const outcome = await applyManualLineCommand(
              manager,
              { merchantId, command, commandId: auditId, now, profile },
              livePolicy(),
            );
            if (outcome.kind === 'refused')
              return refusalResponse(merchantId, outcome.reason, outcome.line?.status);
            await recordAuditEntry(manager, {
              auditId,
              subject: context.principal.subject,
              roles: context.principal.roles,
              action: `credit-line.${action}`,
              route,
              target: auditTarget('merchant', merchantId),
              requestId: context.requestId,
              idempotencyKey: context.idempotencyKey,
              request: { reason },
              before: toJsonSafe(outcome.before),
              after: toJsonSafe(outcome.after),
            });
            return { status: 200, body: manualLineView(outcome) };
          },
        );
      } catch (error) {
        if (error instanceof DecisionTimeMovedError && attempt < ATTEMPTS_MAX) continue;
        throw error;
      }
    }
  }
}
