/**
 * Every schema migration, oldest first. Listed explicitly rather than found by a glob: a
 * glob of `*.ts` breaks once the code is compiled to `dist/*.js` or run under a different
 * loader (swc-node, jest), and an explicit list makes a forgotten migration a review diff.
 * A new migration: add a file named `<unix ms>-<Name>.ts` here and append its class below.
 */
import { InboxOutbox1732800000000 } from './1732800000000-InboxOutbox';
import { InboxOutboxRetention1795879126157 } from './1795879126157-InboxOutboxRetention';
import { CreditLines1795880965852 } from './1795880965852-CreditLines';
import { DecisionTriggerIndex1795885000000 } from './1795885000000-DecisionTriggerIndex';
import { Ledger1795890000000 } from './1795890000000-Ledger';
import { ApiIdempotency1795890100000 } from './1795890100000-ApiIdempotency';
import { Loans1795890200000 } from './1795890200000-Loans';
import { DecisionTriggerKinds1795890250000 } from './1795890250000-DecisionTriggerKinds';
import { AuditLog1795890300000 } from './1795890300000-AuditLog';
import { DeadLetters1795890400000 } from './1795890400000-DeadLetters';
import { DecisionCompression1795890500000 } from './1795890500000-DecisionCompression';
import { LendingRefusals1795890600000 } from './1795890600000-LendingRefusals';
import { ShadowDecisionQueue1795900000000 } from './1795900000000-ShadowDecisionQueue';
import { PendingDecisions1795910000000 } from './1795910000000-PendingDecisions';
import { PendingDecisionFolds1795910100000 } from './1795910100000-PendingDecisionFolds';

export const PLATFORM_MIGRATIONS = [
  InboxOutbox1732800000000,
  InboxOutboxRetention1795879126157,
  CreditLines1795880965852,
  DecisionTriggerIndex1795885000000,
  Ledger1795890000000,
  ApiIdempotency1795890100000,
  Loans1795890200000,
  DecisionTriggerKinds1795890250000,
  AuditLog1795890300000,
  DeadLetters1795890400000,
  DecisionCompression1795890500000,
  LendingRefusals1795890600000,
  ShadowDecisionQueue1795900000000,
  PendingDecisions1795910000000,
  PendingDecisionFolds1795910100000,
] as const;
