import { defaultStateName, uuidv7, type State, type StateCreate } from "@baton/core";

/** Every stored timestamp has one shape: UTC with milliseconds, so text order is time order. */
export function toUtcIso(timestamp: string): string {
  return new Date(timestamp).toISOString();
}

/** A proposed state made whole: the server stamps the id, the time and the default name. */
export function stateFromCreate(create: StateCreate, now: Date): State {
  const details = create.state_details ?? {};
  return {
    id: uuidv7(),
    type: create.type,
    name: create.name ?? defaultStateName(create.type),
    message: create.message ?? null,
    timestamp: create.timestamp ? toUtcIso(create.timestamp) : now.toISOString(),
    state_details: {
      ...details,
      ...(details.scheduled_time ? { scheduled_time: toUtcIso(details.scheduled_time) } : {}),
      ...(details.cache_expiration ? { cache_expiration: toUtcIso(details.cache_expiration) } : {}),
    },
    data: create.data ?? null,
  };
}
