export { flow, isFlow, runFlow, type Flow, type FlowOptions } from "./flow.js";
export type { StandardSchemaV1 } from "../definition/standard-schema.js";
