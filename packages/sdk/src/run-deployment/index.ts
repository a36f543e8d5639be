export { runDeployment, type RunDeploymentOptions } from "./run-deployment.js";
export { DeploymentNotFound, InvalidDeploymentName, RunDeploymentTimeout } from "./errors.js";
