import { Controller, Get, Inject, Query } from '@nestjs/common';
import { z } from 'zod';
import { DataSource } from 'typeorm';
import {
  ApiDocumented,
  type AuditRecord,
  listAuditEntries,
  RequireRoles,
  ZodValidationPipe,
} from '@lendstream/platform';
import { AuditPageQuery, encodeAuditCursor } from './audit-page-query';

export interface AuditPage {
  readonly items: readonly AuditRecord[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

const Json = z.unknown().describe('JSON, money as strings of digits');
export const AuditPageSchema: z.ZodType<AuditPage> = z.object({
  items: z.array(
    z.object({
      position: z.string().describe('Its place in the log: later writes have larger positions'),
      auditId: z.string(),
      occurredAt: z.string(),
      subject: z.string().describe("The bearer token's subject"),
      roles: z.array(z.string()),
      action: z.string().describe('credit-line.freeze, credit-line.unfreeze, portfolio-budget.set, …'),
      route: z.string(),
      target: z.string().describe('merchant:m-000042, portfolio-budget:CNY, …'),
      requestId: z.string(),
      idempotencyKey: z.string().nullable(),
      request: Json,
      before: Json,
      after: Json,
    }),
  ),
  nextCursor: z.string().nullable(),
});

/** The audit log of every write (role ops:read), newest first. */
@Controller('v1/audit')
export class AuditController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get()
  @RequireRoles('ops:read')
  @ApiDocumented({
    summary: 'The audit log of every write',
    description:
      'Newest first, a page at a time (pass nextCursor as cursor), optionally of one action and/or one target. Each entry says who (subject and roles), what, when, and the state before and after.',
    tags: ['audit'],
    query: AuditPageQuery,
    responses: { 200: { description: 'A page of entries', schema: AuditPageSchema } },
  })
  async audit(@Query(new ZodValidationPipe(AuditPageQuery)) query: AuditPageQuery): Promise<AuditPage> {
    const rows = await listAuditEntries(this.dataSource.manager, {
      limit: query.limit + 1,
      beforePosition: query.cursor,
      action: query.action,
      target: query.target,
    });
    const items = rows.slice(0, query.limit);
    return {
      items,
      nextCursor: rows.length > query.limit ? encodeAuditCursor(items.at(-1)!.position) : null,
    };
  }
}
