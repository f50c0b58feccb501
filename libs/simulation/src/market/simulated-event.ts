import { ProfileInputEvent, TopicName } from '@lendstream/contracts';

/** One generated message: where it goes, its Kafka key (the merchant) and the event. */
export interface SimulatedEvent {
  readonly topic: TopicName;
  readonly key: string;
  readonly event: ProfileInputEvent;
}
