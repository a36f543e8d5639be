import { SecretMasker } from "@baton/core/runtime";

/**
 * Secret values this process resolved (a run's pull steps): every run log line is masked with
 * them before it is printed or sent, so a flow that logs a secret shows `****`.
 */
export const logMasker = new SecretMasker();
