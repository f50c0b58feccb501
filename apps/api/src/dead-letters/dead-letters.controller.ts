import { Controller, Get, Inject, Query } from '@nestjs/common';
import { z } from 'zod';
import { DataSource } from 'typeorm';
import {
  countDeadLettersByReason,
  type DeadLetterReasonCount,
  encodeDeadLetterCursor,
  type IndexedDeadLetter,
  listDeadLetters,
} from '@lendstream/dead-letters';
import { ApiDocumented, RequireRoles, ZodValidationPipe } from '@lendstream/platform';
import { DeadLetterPageQuery } from './dead-letter-page-query';

export type DeadLetterView = Omit<IndexedDeadLetter, 'pageKey'>;

export interface DeadLetterPage {
  readonly items: readonly DeadLetterView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

export const DeadLetterPageSchema: z.ZodType<DeadLetterPage> = z.object({
  items: z.array(
    z.object({
      position: z.string().describe('Its place in the index (a later-indexed entry has a larger one)'),
      reason: z.string().describe('The dlq-reason code: SCHEMA_VIOLATION, NOT_JSON, CURRENCY_MISMATCH, …'),
      error: z.string().nullable().describe('The dlq-error message, naming the offending field'),
      sourceTopic: z.string().nullable().describe('The topic the input was read from'),
      sourcePartition: z.number().int().nullable(),
      sourceOffset: z.string().nullable().describe('int64 as a decimal string'),
      service: z.string().nullable().describe('The service that dead-lettered it'),
      key: z.string().nullable().describe('The Kafka key as UTF-8 text (the merchant id)'),
      eventId: z
        .string()
        .nullable()
        .describe('The CloudEvent id, when the value is a JSON object that has one'),
      eventType: z.string().nullable().describe('The CloudEvent type, likewise'),
      payload: z
        .string()
        .nullable()
        .describe(
          'The original value as UTF-8 text, its first 8 KiB (payloadTruncated says whether it was cut)',
        ),
      payloadBytes: z.number().int().describe("The original value's size in bytes"),
      payloadTruncated: z.boolean(),
      deadLetteredAt: z.string().describe('The dlq-at header (else the record timestamp), ISO 8601'),
      dlq: z
        .object({ topic: z.string(), partition: z.number().int(), offset: z.string() })
        .describe('Where the dead letter itself sits on scf.dlq.v1'),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export interface DeadLetterSummary {
  readonly byReason: readonly DeadLetterReasonCount[];
}

const DeadLetterSummarySchema: z.ZodType<DeadLetterSummary> = z.object({
  byReason: z.array(
    z.object({
      reason: z.string(),
      count: z.number().int(),
      latestAt: z.string().describe('When the newest dead letter of this reason was dead-lettered'),
    }),
  ),
});

/** The dead-letter queue (role ops:read), from the index the dead-letter indexer keeps. */
@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get()
  @RequireRoles('ops:read')
  @ApiDocumented({
    summary: 'Dead-lettered inputs, newest first',
    description:
      'Every record of scf.dlq.v1 as the API has indexed it, newest first by dead-lettered time, a page at a time (pass nextCursor as cursor), optionally of one reason and/or one source topic. Each names why (reason, error), where it came from (topic, partition, offset, service) and keeps the first 8 KiB of the original value.',
    tags: ['dead-letters'],
    query: DeadLetterPageQuery,
    responses: { 200: { description: 'A page of dead letters', schema: DeadLetterPageSchema } },
  })
  async list(
    @Query(new ZodValidationPipe(DeadLetterPageQuery)) query: DeadLetterPageQuery,
  ): Promise<DeadLetterPage> {
    const rows = await listDeadLetters(this.dataSource.manager, {
      limit: query.limit + 1,
      after: query.cursor,
      reason: query.reason,
      sourceTopic: query.topic,
    });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(({ pageKey: _pageKey, ...view }) => view),
      nextCursor: rows.length > query.limit ? encodeDeadLetterCursor(page.at(-1)!.pageKey) : null,
    };
  }

  @Get('summary')
  @RequireRoles('ops:read')
  @ApiDocumented({
    summary: 'Dead letters counted by reason',
    description:
      'How many dead letters the index holds per reason, most first, and when the newest of each was dead-lettered.',
    tags: ['dead-letters'],
    responses: { 200: { description: 'Counts by reason', schema: DeadLetterSummarySchema } },
  })
  async summary(): Promise<DeadLetterSummary> {
    return { byReason: await countDeadLettersByReason(this.dataSource.manager) };
  }
}
