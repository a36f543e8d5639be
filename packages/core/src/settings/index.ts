export * from "./definitions.js";
