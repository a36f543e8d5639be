export { readCached, writeCached, clearMemoryCache, memoryCacheUsage, MEMORY_CACHE_MAX_BYTES } from "./cache.js";
export { persistedResultKey, readPersisted, writePersisted } from "./persisted.js";
export { hashInputs } from "./keys.js";
export { jsonSerializer, v8Serializer, type ResultSerializer } from "./serializer.js";
export { resolveStorage, localStorage, serverStorage, s3Storage, InvalidResultStorage, type ResultStorage, type ResultSettings, type ResultStorageSpec, type S3StorageOptions } from "./storage/index.js";
