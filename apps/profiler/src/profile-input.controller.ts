import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Topics } from '@lendstream/contracts';
import type { BatchOutcome, InboundBatch } from '@lendstream/messaging';
import { ProfileIngestService } from './profile-ingest.service';

/** The three input streams of the profile; one line each. */
@Controller()
export class ProfileInputController {
  constructor(private readonly ingestService: ProfileIngestService) {}

  @EventPattern(Topics.orders)
  orders(@Payload() batch: InboundBatch): Promise<BatchOutcome> {
    return this.ingestService.ingest(batch);
  }

  @EventPattern(Topics.warehouse)
  warehouse(@Payload() batch: InboundBatch): Promise<BatchOutcome> {
    return this.ingestService.ingest(batch);
  }

  @EventPattern(Topics.logistics)
  logistics(@Payload() batch: InboundBatch): Promise<BatchOutcome> {
    return this.ingestService.ingest(batch);
  }
}
