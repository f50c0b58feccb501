import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics } from '@lendstream/contracts';
import type { BatchOutcome, InboundBatch } from '@lendstream/messaging';
import { LendingInputService } from './lending-input.service';

/**
 * Lending's three inputs: treasury's answers, the platform's orders (only `order.settled`
 * matters; the other order types are acknowledged and ignored) and the portal's drawdown
 * requests. One line each.
 */
@Controller()
export class LendingInputController {
  constructor(private readonly inputs: LendingInputService) {}

  @EventPattern(Topics.treasury)
  treasury(@Payload() batch: InboundBatch): Promise<BatchOutcome> {
    return this.inputs.apply(batch);
  }

  @EventPattern(Topics.orders)
  orders(@Payload() batch: InboundBatch): Promise<BatchOutcome> {
    return this.inputs.apply(batch);
  }

  @EventPattern(Topics.drawdownRequests)
  drawdownRequests(@Payload() batch: InboundBatch): Promise<BatchOutcome> {
    return this.inputs.apply(batch);
  }
}
