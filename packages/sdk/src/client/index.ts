export * from "./client.js";
export * from "./http-transport.js";
export * from "./get-client.js";
export * from "./pages.js";
export { renewRunTokenIfDue, swappableCredential, type SwappableCredential } from "./run-token-renewal.js";
export { readCaFile } from "./tls.js";
