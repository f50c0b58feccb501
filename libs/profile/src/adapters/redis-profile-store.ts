import type { ChainableCommander, Redis } from 'ioredis';
import { ContractViolation, DeadLetterReason, type AnyCloudEvent } from '@lendstream/contracts';
import { MerchantProfile } from '../merchant-profile';
import { fillProfileDelta, isProfileInputEvent, newProfileDeltaDraft } from '../profile-delta';
import { ProfileRetention } from '../profile-retention';
import { isTypeOfSource, profileSourceOfTopic } from '../profile-source';
import { PROFILE_SOURCES, ProfileSource, ProfileState } from '../profile-state';
import { readWindows } from '../read-windows';
import { MessageApplyOutcome, outcomeOfLetter, rejectedOutcome } from './apply-outcome';
import { buildApplyProfileScript, ProfileScript } from './apply-profile-script';
import { EventArgumentWriter } from './event-argument';
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

/**
 * One script call: a run of up to eventsPerCallMax events of one merchant, encoded as they
 * were planned. Per event it keeps only what its outcome needs (parallel arrays, no object
 * per event): the batch keeps the events themselves, and the deltas are not kept at all.
 */
interface ScriptCall {
  readonly merchantId: string;
  readonly events: EventArgumentWriter;
  /** Position in the batch of each event. */
  readonly indexes: number[];
  readonly eventTimesMs: number[];
  readonly currencies: (string | null)[];
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
    const callsByMerchant = planScriptCalls(batch, source, outcomes, this.eventsPerCallMax);
    // Wave k holds the k-th call of every merchant: a merchant's calls run in order, one
    // round trip per wave (one in all unless a merchant has more than eventsPerCallMax events).
    for (let wave = 0; ; wave += 1) {
      const calls: ScriptCall[] = [];
      for (const merchantCalls of callsByMerchant.values()) {
        const call = merchantCalls[wave];
        if (call !== undefined) calls.push(call);
      }
      if (calls.length === 0) break;
      const answers = await this.runCalls(source, batch.partition, calls);
      for (let index = 0; index < calls.length; index += 1) {
        recordAnswers(batch, calls[index]!, answers[index]!, outcomes);
      }
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
        events.bytes(),
      );
    }
    const results = await pipeline.exec();
    if (results === null || results.length !== calls.length)
      throw new Error('Redis pipeline returned no results');
    return results;
  }
}

/**
 * Computes each message's delta, encodes it at once into its merchant's current call (a new
 * call every eventsPerCallMax events), in offset order; messages the profile refuses (wrong
 * topic, absurd amount or date) get their outcome at once.
 */
function planScriptCalls(
  batch: ProfileBatch,
  source: ProfileSource,
  outcomes: MessageApplyOutcome[],
  eventsPerCallMax: number,
): Map<string, ScriptCall[]> {
  const callsByMerchant = new Map<string, ScriptCall[]>();
  const { messages } = batch;
  // One draft for the whole batch: each event's delta is encoded before the next overwrites it.
  const delta = newProfileDeltaDraft();
  for (let index = 0; index < messages.length; index += 1) {
    const { offset, event } = messages[index]!;
    const merchantId = (event.data as { merchantId: string }).merchantId;
    if (!isProfileInputEvent(event) || !isTypeOfSource(event.type, source)) {
      outcomes[index] = rejectedOutcome(
        offset,
        merchantId,
        Date.parse(event.time),
        wrongTopic(event, batch.topic),
      );
      continue;
    }
    const refused = fillProfileDelta(event, delta);
    if (refused !== null) {
      outcomes[index] = rejectedOutcome(offset, merchantId, Date.parse(event.time), refused);
      continue;
    }
    let merchantCalls = callsByMerchant.get(merchantId);
    if (merchantCalls === undefined) callsByMerchant.set(merchantId, (merchantCalls = []));
    let call = merchantCalls[merchantCalls.length - 1];
    if (call === undefined || call.events.count >= eventsPerCallMax) {
      call = { merchantId, events: new EventArgumentWriter(), indexes: [], eventTimesMs: [], currencies: [] };
      merchantCalls.push(call);
    }
    call.events.append(offset, delta);
    call.indexes.push(index);
    call.eventTimesMs.push(delta.eventTimeMs);
    call.currencies.push(delta.currency);
  }
  return callsByMerchant;
}

function recordAnswers(
  batch: ProfileBatch,
  call: ScriptCall,
  letters: string,
  outcomes: MessageApplyOutcome[],
): void {
  const { indexes } = call;
  if (letters.length !== indexes.length) {
    throw new Error(`profile script answered ${letters.length} statuses for ${indexes.length} events`);
  }
  for (let position = 0; position < indexes.length; position += 1) {
    const index = indexes[position]!;
    outcomes[index] = outcomeOfLetter(
      letters[position]!,
      batch.messages[index]!.offset,
      call.merchantId,
      call.eventTimesMs[position]!,
      call.currencies[position]!,
    );
  }
}
