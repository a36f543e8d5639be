/**
 * `@baton/core/runtime`: the part of core a flow process needs (errors, ids, state names, masking,
 * templates, parameter checks), without zod, ajv or rrule. Importing it builds no API schema, so
 * `import { flow, task } from "baton"` stays cheap (issue 14). Everything here is also exported by
 * `@baton/core`; what needs the schemas (the route table, settings definitions) is there only,
 * except each route's method and path (ROUTE_PATHS, enough to send a request); the settings'
 * definitions alone are `@baton/core/settings`.
 */
export * from "./ids.js";
export * from "./errors.js";
export * from "./json.js";
export * from "./masking.js";
export * from "./parameters.js";
export * from "./templating/placeholders.js";
export * from "./templating/render.js";
export * from "./templating/scan.js";
export * from "./run-environment.js";
export * from "./suggest.js";
export * from "./names.js";
export * from "./log-levels.js";
export * from "./states/names.js";
export * from "./api/run-token.js";
export * from "./project/repository-url.js";
export * from "./pem.js";
export * from "./artifacts/limits.js";
export { PULL_STEP_TIMEOUT_ENV, WORK_POOL_TYPES } from "./job-templates/defaults.js";
export { BATON_VERSION, API_VERSION } from "./version.js";
export { ROUTE_PATHS } from "./api/route-paths.js";
export { fillPath } from "./api/fill-path.js";
