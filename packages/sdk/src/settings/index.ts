export * from "./settings.js";
export * from "./profiles.js";
