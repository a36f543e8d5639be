export * from "./placeholders.js";
export * from "./render.js";
