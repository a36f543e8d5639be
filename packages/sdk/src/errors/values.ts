import { BatonError } from "@baton/core/runtime";

// Below both the run's job-configuration references (execute/) and the values flow code reads
// (values/), which throw them alike.

export class SecretNotFound extends BatonError {
  override readonly code = "SecretNotFound";
  override readonly status = 400;
}

export class VariableNotFound extends BatonError {
  override readonly code = "VariableNotFound";
  override readonly status = 400;
}
