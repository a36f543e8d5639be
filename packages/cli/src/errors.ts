import { BatonError, ValidationError } from "@baton/core/runtime";

/** A flag or argument the command cannot accept: exits 2, like commander's own usage errors. */
export class UsageError extends BatonError {
  override readonly code: string = "UsageError";
  override readonly status: number = 400;
}

/** baton.yaml has problems: every one is listed with its YAML path, and nothing was written. */
export class DeployInvalid extends ValidationError {
  override readonly code = "DeployInvalid";
}
