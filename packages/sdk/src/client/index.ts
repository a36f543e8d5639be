export * from "./client.js";
export * from "./http-transport.js";
export * from "./get-client.js";
export * from "./pages.js";
export { readCaFile } from "./tls.js";
