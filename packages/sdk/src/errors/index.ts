import { BatonError } from "@baton/core/runtime";

/** The server told this process not to run the flow run (another process runs it, or it is finished). */
export class FlowRunAbortedError extends BatonError {
  override readonly code = "FlowRunAborted";
}

/** The flow run was cancelled (from the UI, the CLI or the API) while it ran. */
export class FlowRunCancelledError extends BatonError {
  override readonly code = "FlowRunCancelled";
}

/**
 * Thrown by suspendFlowRun once the run is Suspended: it unwinds the flow so its process can end
 * (a worker runs the flow again once it is resumed). Let it through: the engine ends the run's
 * process here whether or not it is caught.
 */
export class FlowRunSuspended extends BatonError {
  override readonly code = "FlowRunSuspended";
}

/** A task or flow was called after its flow run was cancelled or timed out. */
export class RunStoppedError extends BatonError {
  override readonly code = "RunStopped";
}

/** `getRunContext()` was called outside a flow run. */
export class MissingRunContextError extends BatonError {
  override readonly code = "MissingRunContext";
}

/**
 * A run ended in a state other than COMPLETED and no error object survived (a crash, or a
 * state set by the server): the state's message says what happened.
 */
export class FlowRunFailedError extends BatonError {
  override readonly code = "FlowRunFailed";
}
