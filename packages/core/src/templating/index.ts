export * from "./placeholders.js";
export * from "./render.js";
export * from "./scan.js";
export * from "./limits.js";
