export { concurrency, rateLimit, type ConcurrencyOptions } from "./limits.js";
export { acquireSlots, ConcurrencySlotTimeout, type HeldSlots } from "./slots.js";
