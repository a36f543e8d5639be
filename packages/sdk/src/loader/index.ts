export * from "./errors.js";
export * from "./entrypoint.js";
export { loadEntrypoint, prepareLoader, prepareCompiledLoader, type LoadEntrypointOptions, type LoadedFlow } from "./load.js";
