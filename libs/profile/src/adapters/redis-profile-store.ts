import type { ChainableCommander, Redis } from 'ioredis';
import { ContractViolation, DeadLetterReason, type AnyCloudEvent } from '@lendstream/contracts';
import { MerchantProfile } from '../merchant-profile';
import { isProfileInputEvent, ProfileDelta, profileDelta } from '../profile-delta';
import { ProfileRetention } from '../profile-retention';
import { isTypeOfSource, profileSourceOfTopic } from '../profile-source';
import { PROFILE_SOURCES, ProfileSource, ProfileState } from '../profile-state';
import { readWindows } from '../read-windows';
import { MessageApplyOutcome, outcomeOfLetter, rejectedOutcome } from './apply-outcome';
import { buildApplyProfileScript, ProfileScript } from './apply-profile-script';
import { encodeEventArguments } from './event-argument';
import { decodeProfile } from './profile-codec';
import { NO_PARTITION } from './profile-layout';
import { fingerprintKey, profileKey } from './redis-profile-keys';
import { RedisProfileStoreOptions, resolveRedisProfileStoreOptions } from './redis-profile-store-options';

/** A run of messages from one topic-partition, in offset order (the shape of the transport's InboundBatch). */
export interface ProfileBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly { readonly offset: string; readonly event: AnyCloudEvent }[];
}

interface PendingEvent {
  /** Position in the batch. */
  readonly index: number;
  readonly offset: string;
  readonly delta: ProfileDelta;
}

interface ScriptCall {
  readonly merchantId: string;
  readonly events: readonly PendingEvent[];
}

const wrongTopic = (event: AnyCloudEvent, topic: string): ContractViolation => ({
  reason: DeadLetterReason.WRONG_TOPIC,
  field: 'type',
  message: `"${event.type}" does not feed the profile from ${topic}`,
});

const isNoScript = (error: Error | null): boolean => error !== null && error.message.startsWith('NOSCRIPT');

/**
 * The rolling profiles in Redis. One Lua script applies a merchant's events atomically and
 * idempotently (applied positions and fingerprints, see the README); a batch costs one
 * pipelined round trip, one script call per merchant. Redis errors are thrown: they are
 * transient, and the caller retries the same batch, which the positions make harmless.
 */
export class RedisProfileStore {
  readonly keyPrefix: string;
  readonly retention: ProfileRetention;
  private readonly script: ProfileScript;
  private readonly fingerprintKeyTtlMs: number;
  private readonly eventsPerCallMax: number;

  constructor(
    private readonly redis: Redis,
    options: RedisProfileStoreOptions = {},
  ) {
    const resolved = resolveRedisProfileStoreOptions(options);
    this.keyPrefix = resolved.keyPrefix;
    this.retention = resolved.retention;
    this.fingerprintKeyTtlMs = resolved.fingerprintKeyTtlMs;
    this.eventsPerCallMax = resolved.eventsPerCallMax;
    this.script = buildApplyProfileScript(resolved.retention, resolved.fingerprints);
  }

  /** SCRIPT LOAD, once at startup (and again whenever Redis answers NOSCRIPT, e.g. after a restart). */
  async loadScript(): Promise<void> {
    const sha1 = await this.redis.script('LOAD', this.script.source);
    if (sha1 !== this.script.sha1)
      throw new Error(`SCRIPT LOAD answered ${String(sha1)}, expected ${this.script.sha1}`);
  }

  /** Applies a batch; one outcome per message, in the batch's order. */
  async applyBatch(batch: ProfileBatch): Promise<MessageApplyOutcome[]> {
    const source = profileSourceOfTopic(batch.topic);
    if (source === null) throw new RangeError(`topic ${batch.topic} does not feed the profile`);
    if (!Number.isSafeInteger(batch.partition) || batch.partition < 0 || batch.partition >= NO_PARTITION) {
      throw new RangeError(`partition ${batch.partition} is outside 0..${NO_PARTITION - 1}`);
    }
    const outcomes: MessageApplyOutcome[] = new Array(batch.messages.length);
    const pendingByMerchant = pendingEventsByMerchant(batch, source, outcomes);
    // Wave k holds the k-th chunk of every merchant: a merchant's chunks run in order, one
    // round trip per wave (one in all unless a merchant has more than eventsPerCallMax events).
    for (let wave = 0; ; wave += 1) {
      const calls: ScriptCall[] = [];
      for (const [merchantId, pending] of pendingByMerchant) {
        const events = pending.slice(wave * this.eventsPerCallMax, (wave + 1) * this.eventsPerCallMax);
        if (events.length > 0) calls.push({ merchantId, events });
      }
      if (calls.length === 0) break;
      const answers = await this.runCalls(source, batch.partition, calls);
      calls.forEach((call, callIndex) => recordAnswers(call, answers[callIndex]!, outcomes));
    }
    return outcomes;
  }

  async readProfile(merchantId: string): Promise<ProfileState | null> {
    const bytes = await this.redis.getBuffer(profileKey(this.keyPrefix, merchantId));
    return bytes === null ? null : decodeProfile(merchantId, bytes);
  }

  /** The profile as of `asOf`, or null when the merchant has none (fail closed). */
  async readWindows(merchantId: string, asOf: Date): Promise<MerchantProfile | null> {
    const state = await this.readProfile(merchantId);
    return state === null ? null : readWindows(state, asOf, this.retention);
  }

  /** One pipelined round trip; calls that met NOSCRIPT had no effect and are run again after a reload. */
  private async runCalls(
    source: ProfileSource,
    partition: number,
    calls: readonly ScriptCall[],
  ): Promise<string[]> {
    const answers = await this.execute(source, partition, calls);
    const missing = calls.flatMap((_, index) => (isNoScript(answers[index]![0]) ? [index] : []));
    if (missing.length > 0) {
      await this.loadScript();
      const retried = await this.execute(
        source,
        partition,
        missing.map((index) => calls[index]!),
      );
      missing.forEach((callIndex, retryIndex) => (answers[callIndex] = retried[retryIndex]!));
    }
    return answers.map(([error, letters]) => {
      if (error !== null) throw error;
      return String(letters);
    });
  }

  private async execute(
    source: ProfileSource,
    partition: number,
    calls: readonly ScriptCall[],
  ): Promise<[Error | null, unknown][]> {
    const slot = PROFILE_SOURCES.indexOf(source);
    const pipeline: ChainableCommander = this.redis.pipeline();
    for (const { merchantId, events } of calls) {
      pipeline.evalsha(
        this.script.sha1,
        2,
        profileKey(this.keyPrefix, merchantId),
        fingerprintKey(this.keyPrefix, merchantId, source),
        slot,
        partition,
        this.fingerprintKeyTtlMs,
        encodeEventArguments(events),
      );
    }
    const results = await pipeline.exec();
    if (results === null || results.length !== calls.length)
      throw new Error('Redis pipeline returned no results');
    return results;
  }
}

/**
 * Computes each message's delta and groups them by merchant, in offset order; messages the
 * profile refuses (wrong topic, absurd amount or date) get their outcome at once.
 */
function pendingEventsByMerchant(
  batch: ProfileBatch,
  source: ProfileSource,
  outcomes: MessageApplyOutcome[],
): Map<string, PendingEvent[]> {
  const pendingByMerchant = new Map<string, PendingEvent[]>();
  batch.messages.forEach(({ offset, event }, index) => {
    const merchantId = (event.data as { merchantId: string }).merchantId;
    if (!isProfileInputEvent(event) || !isTypeOfSource(event.type, source)) {
      outcomes[index] = rejectedOutcome(
        offset,
        merchantId,
        Date.parse(event.time),
        wrongTopic(event, batch.topic),
      );
      return;
    }
    const delta = profileDelta(event);
    if (!delta.ok) {
      outcomes[index] = rejectedOutcome(offset, merchantId, Date.parse(event.time), delta.error);
      return;
    }
    const pending = pendingByMerchant.get(merchantId);
    if (pending === undefined) pendingByMerchant.set(merchantId, [{ index, offset, delta: delta.value }]);
    else pending.push({ index, offset, delta: delta.value });
  });
  return pendingByMerchant;
}

function recordAnswers(call: ScriptCall, letters: string, outcomes: MessageApplyOutcome[]): void {
  if (letters.length !== call.events.length) {
    throw new Error(`profile script answered ${letters.length} statuses for ${call.events.length} events`);
  }
  call.events.forEach(({ index, offset, delta }, position) => {
    outcomes[index] = outcomeOfLetter(
      letters[position]!,
      offset,
      call.merchantId,
      delta.eventTimeMs,
      delta.currency,
    );
  });
}
