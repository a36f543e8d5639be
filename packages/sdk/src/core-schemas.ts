import { createRequire } from "node:module";

type Core = typeof import("@baton/core");
type SettingDefinitions = typeof import("@baton/core/settings");
type PullStepSchemas = typeof import("@baton/core/pull-steps");
let core: Core | undefined;
let settings: SettingDefinitions | undefined;
let pullSteps: PullStepSchemas | undefined;

/**
 * The whole of `@baton/core` (zod API schemas, the route table, settings definitions), loaded the
 * first time something needs it rather than when a flow file imports "baton": building them costs
 * hundreds of milliseconds that `import { flow, task } from "baton"` does not pay (issue 14).
 * Loaded with require(), which Node 20.19+ allows for ES modules: the same module instance as an
 * `import "@baton/core"` elsewhere in the process.
 */
export function coreSchemas(): Core {
  return (core ??= createRequire(import.meta.url)("@baton/core") as Core);
}

/**
 * The settings' definitions (zod schemas of each setting) alone: reading a setting does not
 * build the API's schemas, which a worker or a run that only sends requests never needs.
 */
export function settingDefinitions(): SettingDefinitions {
  return (settings ??= createRequire(import.meta.url)("@baton/core/settings") as SettingDefinitions);
}

/** The pull steps' schemas alone: a deployment's run checks its steps without the API's schemas. */
export function pullStepSchemas(): PullStepSchemas {
  return (pullSteps ??= createRequire(import.meta.url)("@baton/core/pull-steps") as PullStepSchemas);
}
