import { defaultStateName, uuidv7, type State, type StateCreate } from "@baton/core";

/** Every stored timestamp has one shape: UTC with milliseconds, so text order is time order. */
const UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export function toUtcIso(timestamp: string): string {
  // Most clients already send this shape (toISOString); skip the round trip through Date.
  return UTC_MILLIS.test(timestamp) ? timestamp : new Date(timestamp).toISOString();
}

/** A proposed state made whole: the server stamps the id, the time and the default name. */
export function stateFromCreate(create: StateCreate, now: Date): State {
  let details = create.state_details ?? {};
  if (details.scheduled_time || details.cache_expiration) {
    details = { ...details };
    if (details.scheduled_time) details.scheduled_time = toUtcIso(details.scheduled_time);
    if (details.cache_expiration) details.cache_expiration = toUtcIso(details.cache_expiration);
  }
  return {
    id: uuidv7(),
    type: create.type,
    name: create.name ?? defaultStateName(create.type),
    message: create.message ?? null,
    timestamp: create.timestamp ? toUtcIso(create.timestamp) : now.toISOString(),
    state_details: details,
    data: create.data ?? null,
  };
}
