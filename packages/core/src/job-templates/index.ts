export * from "./schema.js";
export * from "./validate.js";
export * from "./render.js";
export * from "./defaults.js";
export * from "./locks.js";
export * from "./values.js";
export * from "./kubeconfig.js";
export * from "./dotted.js";
