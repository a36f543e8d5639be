export * from "./errors.js";
export * from "./entrypoint.js";
export { loadEntrypoint, type LoadEntrypointOptions, type LoadedFlow } from "./load.js";
