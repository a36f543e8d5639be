import { BatonError } from "@baton/core/runtime";

/** Nobody resumed the paused run within its timeout: the run fails with this. */
export class PauseTimeout extends BatonError {
  override readonly code = "PauseTimeout";
}

/** The input a person resumed the run with does not match the flow's schema (checked again in the run). */
export class PauseInputInvalid extends BatonError {
  override readonly code = "PauseInputInvalid";
}

export { FlowRunSuspended } from "../errors/index.js";

/** suspendFlowRun where no worker can start the run again: not a deployment's run, or a bad key. */
export class SuspendNotPossible extends BatonError {
  override readonly code = "SuspendNotPossible";
}
