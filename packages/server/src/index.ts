export { createApp, type BatonApp, type CreateAppOptions, type ServerLogLevel } from "./app.js";
export { startServer, type RunningServer, type StartServerOptions } from "./server.js";
export { TlsConfigInvalid } from "./http/tls.js";
export { parseAllowedOrigins } from "./http/security.js";
export { openInProcessTransport, type InProcessTransportOptions } from "./in-process.js";
export { openDatabase, DatabaseUnavailable, type BatonDatabase, type OpenDatabaseOptions } from "./db/open.js";
export { redactDatabaseUrl, parseDatabaseUrl, InvalidDatabaseUrl, type DatabaseKind } from "./db/url.js";
export type { ServiceOptions } from "./services/index.js";
