import { Body, Controller, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MerchantId } from '@lendstream/contracts';
import {
  ApiDocumented,
  CurrentPrincipal,
  fingerprintOf,
  IdempotencyKey,
  type Principal,
  RequestId,
  RequireRoles,
  respondIdempotently,
  ZodValidationPipe,
} from '@lendstream/platform';
import { ManualLineBody } from './manual-line-body';
import { ManualLineAction, ManualLineCommands } from './manual-line-commands';
import { ManualLineViewSchema } from './manual-line-views';

const merchantIdPipe = new ZodValidationPipe(MerchantId);
const bodyPipe = new ZodValidationPipe(ManualLineBody);

const documented = (action: ManualLineAction, summary: string, description: string, conflicts: string[]) =>
  ApiDocumented({
    summary,
    description,
    tags: ['credit lines'],
    params: { merchantId: MerchantId },
    body: ManualLineBody,
    idempotent: true,
    responses: {
      200: {
        description: `The line after the ${action}, with the decision stored`,
        schema: ManualLineViewSchema,
      },
      404: { description: 'The merchant has no credit line', codes: ['CREDIT_LINE_NOT_FOUND'] },
      409: {
        description: 'The line cannot be changed so',
        codes: [...conflicts, 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_PROGRESS'],
      },
      503: {
        description: 'The profile store (Redis) cannot be read; retry',
        codes: ['PROFILE_STORE_UNAVAILABLE'],
      },
    },
  });

/**
 * Manual freeze and unfreeze of a merchant's line (role ops:write): idempotent (Idempotency-Key)
 * and audited writes, decided by the credit core like any other decision and published as
 * `credit-line.frozen` / `credit-line.unfrozen` on scf.credit-lines.v1.
 */
@Controller('v1/merchants/:merchantId/credit-line')
export class ManualLineController {
  constructor(@Inject(ManualLineCommands) private readonly commands: ManualLineCommands) {}

  @Post('freeze')
  @RequireRoles('ops:write')
  @documented(
    'freeze',
    'Freeze a line manually',
    "Available drops to 0 at once; loans already drawn run on. The reason becomes the line's MANUAL_FREEZE reason. Only a manual unfreeze lifts it; freezing a manually frozen line again changes nothing (event null). Works while Redis is down.",
    ['CREDIT_LINE_CLOSED'],
  )
  freeze(
    @Param('merchantId', merchantIdPipe) merchantId: string,
    @Body(bodyPipe) body: ManualLineBody,
    @IdempotencyKey() key: string,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    return this.handle('freeze', merchantId, body, key, principal, requestId, request, response);
  }

  @Post('unfreeze')
  @RequireRoles('ops:write')
  @documented(
    'unfreeze',
    'Lift a manual freeze',
    'Releases the manual hold only: the live policy decides the line afresh on the current profile, so it reopens (credit-line.unfrozen) unless the policy has its own reason to hold it, and the portfolio budget caps the limit it reopens at.',
    ['CREDIT_LINE_NOT_MANUALLY_FROZEN', 'CREDIT_LINE_CLOSED'],
  )
  unfreeze(
    @Param('merchantId', merchantIdPipe) merchantId: string,
    @Body(bodyPipe) body: ManualLineBody,
    @IdempotencyKey() key: string,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    return this.handle('unfreeze', merchantId, body, key, principal, requestId, request, response);
  }

  private async handle(
    action: ManualLineAction,
    merchantId: string,
    body: ManualLineBody,
    idempotencyKey: string,
    principal: Principal,
    requestId: string,
    request: Request,
    response: Response,
  ): Promise<unknown> {
    const outcome = await this.commands.run(action, merchantId, body.reason, {
      principal,
      requestId,
      idempotencyKey,
      fingerprint: fingerprintOf(request),
    });
    return respondIdempotently(response, outcome);
  }
}
