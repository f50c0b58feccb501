import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type CloudEvent } from '@lendstream/contracts';
import type { BatchOutcome, InboundBatch } from '@lendstream/messaging';
import { UnderwritingService } from '@lendstream/credit';

/** Profile signals in; one line. Errors propagate: the transport retries the batch. */
@Controller()
export class ProfileSignalController {
  constructor(private readonly underwriting: UnderwritingService) {}

  @EventPattern(Topics.profileChanged)
  async profileChanged(@Payload() batch: InboundBatch<CloudEvent<'profile.changed'>>): Promise<BatchOutcome> {
    await this.underwriting.underwriteSignals(batch.messages.map((message) => message.event));
    return {};
  }
}
