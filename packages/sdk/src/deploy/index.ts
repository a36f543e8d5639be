export { secret, isSecretReference } from "./secret.js";
export { fromSource, gitCloneStep, InvalidFlowSource } from "./from-source.js";
export { serve, servePoolName } from "./serve.js";
export { ClaimLoop, type ClaimLoopOptions } from "./claim-loop.js";
export { ensureWorkPool } from "./ensure-pool.js";
export { startWorkerHeartbeat } from "./worker-heartbeat.js";
export { entrypointOf } from "./flow-entrypoint.js";
export type { DeployableFlow, DeployOptions, DeployResult, FlowSourceOptions, ServeOptions } from "../definition/deploy-types.js";
