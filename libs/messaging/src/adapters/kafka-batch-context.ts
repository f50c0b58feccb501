import { BaseRpcContext } from '@nestjs/microservices';

type KafkaBatchContextArgs = [topic: string, partition: number];

/** What `@Ctx()` gives a handler on the Kafka batch transport: where the batch comes from. */
export class KafkaBatchContext extends BaseRpcContext<KafkaBatchContextArgs> {
  /** The contract topic the handler registered for. */
  getTopic(): string {
    return this.args[0];
  }

  getPartition(): number {
    return this.args[1];
  }
}
