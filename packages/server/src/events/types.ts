// The event shapes are part of the API contract, in core (api/events.ts), so the UI reads them
// without reaching into the server.
export { EVENT_TYPES } from "@baton/core";
export type { EventMap, EventType, FlowRunEvent, LogEvent, TaskRunsEvent, WorkerEvent } from "@baton/core";
