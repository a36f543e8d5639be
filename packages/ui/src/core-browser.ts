// (Type-checking follows their type imports into Node-typed files, hence "types": ["node"] in tsconfig.json.)
// The browser-safe parts of @baton/core, imported from their source files: the package index
// also pulls Node-only modules (node:crypto), which a browser bundle cannot load. These files
// import nothing but zod and each other, so the UI validates exactly as the server does.
export { BaseJobTemplateSchema } from "../../core/src/job-templates/schema.js";
export { checkBaseJobTemplate } from "../../core/src/job-templates/validate.js";
export { renderJobConfiguration, mergeJobVariables } from "../../core/src/job-templates/render.js";
export { ROLE_PERMISSIONS } from "../../core/src/api/auth.js";
