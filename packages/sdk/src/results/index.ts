export { readCached, writeCached, clearMemoryCache } from "./cache.js";
export { persistedResultPath, readPersisted, writePersisted } from "./persisted.js";
export { hashInputs } from "./keys.js";
