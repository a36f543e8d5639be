export * from "./errors.js";
export * from "./entrypoint.js";
export { loadEntrypoint, prepareLoader, type LoadEntrypointOptions, type LoadedFlow } from "./load.js";
