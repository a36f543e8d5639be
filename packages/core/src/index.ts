export * from "./ids.js";
export * from "./errors.js";
export * from "./states/index.js";
export * from "./api/index.js";
export * from "./settings/index.js";
export * from "./json.js";

export const BATON_VERSION = "0.1.0";
export const API_VERSION = "1";
export * from "./templating/index.js";
export * from "./job-templates/index.js";
export * from "./schedules/index.js";
export * from "./project/index.js";
export * from "./validation.js";
export * from "./masking.js";
