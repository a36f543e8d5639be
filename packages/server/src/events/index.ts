export { EventBus } from "./bus.js";
export { captureEvents } from "./capture.js";
export { eventRoutes } from "./routes.js";
export type { EventMap, EventType, FlowRunEvent, LogEvent, WorkerEvent } from "./types.js";
