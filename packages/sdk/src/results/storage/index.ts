export type { ResultStorage } from "./types.js";
export { resolveStorage, type ResultSettings, type ResultStorageSpec } from "./resolve.js";
export { localStorage } from "./local.js";
export { serverStorage } from "./server.js";
export { s3Storage, InvalidResultStorage, type S3StorageOptions } from "./s3.js";
