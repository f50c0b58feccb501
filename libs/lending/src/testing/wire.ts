import { EVENT_CATALOG } from '@lendstream/contracts';
import { LendingEvent } from '../lending-events';

/** The event's data as JSON would carry it (bigint → digit string), read back by the contract's own schema. */
export function parseAsContract(event: LendingEvent): unknown {
  const wire: unknown = JSON.parse(
    JSON.stringify(event.data, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    ),
  );
  return EVENT_CATALOG[event.type].data.parse(wire);
}
