/**
 * Run-scoped credentials: a token (`batr_...`) a worker gets for one flow run and hands to it
 * instead of its own key. It is signed (HMAC-SHA256, key derived from the server's secrets key),
 * expires after at most a day (its run renews it with itself), stops working once its run has ended, and can act only on its run
 * (see RUN_TOKEN_SCOPE in allowed-routes.ts).
 */
export { issueRunToken, verifyRunToken, registerRunTokenKey, registerRunTokenTtl, checkRunTokenTtl, InvalidRunTokenTtl, RunAlreadyFinished, RUN_TOKEN_MAX_SECONDS, RUN_TOKEN_GRACE_SECONDS, type IssueRunTokenOptions, type VerifiedRunToken } from "./issue.js";
export { authorizeRunScope } from "./authorize.js";
export { RUN_TOKEN_SCOPE, AFTER_END_ROUTES } from "./allowed-routes.js";
export { forgetRunFacts } from "./run-lookup.js";
export { runTokenRoutes } from "./routes.js";
