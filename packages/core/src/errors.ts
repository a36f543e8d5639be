/**
 * Errors a user can act on. Each failure has its own small class; the message says what
 * went wrong and what to do about it. `code` travels over HTTP so the client can rebuild
 * the same class on the other side.
 */
export class BatonError extends Error {
  /** Stable machine-readable name, sent as `code` in API error bodies. */
  readonly code: string = "BatonError";
  /** HTTP status the server answers with when this error escapes a route. */
  readonly status: number = 500;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface FieldIssue {
  /** Where the problem is: `parameters.limit`, `body.state.type`, `deployments[0].entrypoint`. */
  path: string;
  message: string;
}

export class ValidationError extends BatonError {
  override readonly code: string = "ValidationError";
  override readonly status: number = 422;
  constructor(
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

export class ParameterValidationError extends ValidationError {
  override readonly code = "ParameterValidationError";
}

export class NotFoundError extends BatonError {
  override readonly code: string = "NotFound";
  override readonly status: number = 404;
}

export class FlowRunNotFound extends NotFoundError {
  override readonly code = "FlowRunNotFound";
  constructor(readonly id: string) {
    super(`FlowRunNotFound: no flow run with ID "${id}"; list runs with baton flow-run ls`);
  }
}

export class TaskRunNotFound extends NotFoundError {
  override readonly code = "TaskRunNotFound";
  constructor(readonly id: string) {
    super(`TaskRunNotFound: no task run with ID "${id}"; the run's task runs are listed by baton flow-run inspect FLOW_RUN_ID`);
  }
}

export class FlowNotFound extends NotFoundError {
  override readonly code = "FlowNotFound";
  constructor(readonly ref: string) {
    super(`FlowNotFound: no flow "${ref}"; a flow is registered the first time one of its runs is created`);
  }
}

export class ConflictError extends BatonError {
  override readonly code: string = "Conflict";
  override readonly status: number = 409;
}

export class UnknownSetting extends BatonError {
  override readonly code = "UnknownSetting";
  override readonly status = 400;
  constructor(
    readonly setting: string,
    readonly suggestion: string | undefined,
  ) {
    super(
      `UnknownSetting: "${setting}" is not a Baton setting` +
        (suggestion ? `; did you mean ${suggestion}?` : "; list them with baton config view --show-defaults"),
    );
  }
}

export class InvalidSettingValue extends BatonError {
  override readonly code = "InvalidSettingValue";
  override readonly status = 400;
}

export class ProfileNotFound extends NotFoundError {
  override readonly code = "ProfileNotFound";
  constructor(readonly profile: string) {
    super(`ProfileNotFound: no profile named "${profile}"; create it with baton profile create ${profile}`);
  }
}

export class ApiConnectionError extends BatonError {
  override readonly code = "ApiConnectionError";
  override readonly status = 503;
}

/** An error answered by the API, rebuilt on the client side from `{ code, message, issues }`. */
export class ApiError extends BatonError {
  override readonly code: string;
  override readonly status: number;
  constructor(status: number, code: string, message: string, readonly issues: FieldIssue[] = []) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class FlowTimeoutError extends BatonError {
  override readonly code = "FlowTimeout";
}
export class TaskTimeoutError extends BatonError {
  override readonly code = "TaskTimeout";
}
/** The body of every error answer from the API. */
export interface ApiErrorBody {
  code: string;
  message: string;
  issues?: FieldIssue[];
  /** True when the same request may succeed if sent again later (a lost database connection); see Retry-After. */
  retryable?: boolean;
}
