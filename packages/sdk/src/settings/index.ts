export * from "./settings.js";
export * from "./profiles.js";
export * from "./edit.js";
