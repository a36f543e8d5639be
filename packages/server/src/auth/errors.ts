import { BatonError } from "@baton/core";

/** No credential, or one the server does not accept: 401, with how to get one. */
export class Unauthorized extends BatonError {
  override readonly code = "Unauthorized";
  override readonly status = 401;
}

/** A valid credential that may not do this: 403, naming what would be allowed. */
export class Forbidden extends BatonError {
  override readonly code = "Forbidden";
  override readonly status = 403;
}

/** Too many failed attempts from one address: 429; `retryAfterSeconds` goes into `Retry-After`. */
export class TooManyAttempts extends BatonError {
  override readonly code = "TooManyAttempts";
  override readonly status = 429;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
