export * from "./schema.js";
export * from "./validate.js";
export * from "./render.js";
export * from "./defaults.js";
