// Types only: @baton/core's index also exports Node-only code (ids use node:crypto), so the UI
// never imports its runtime from there; see core-browser.ts for the browser-safe pieces.
export type {
  ApiKey,
  ApiKeyCreated,
  Deployment,
  DeploymentSchedule,
  FlowRun,
  Log,
  Page,
  Role,
  Secret,
  Session,
  State,
  StateType,
  TaskRun,
  VersionInfo,
  WhoAmI,
  WhyResult,
  Worker,
  WorkPool,
  WorkQueue,
  BaseJobTemplate,
} from "@baton/core";
