export * from "./repository-url.js";
export * from "./pull-steps.js";
export * from "./baton-yaml.js";
