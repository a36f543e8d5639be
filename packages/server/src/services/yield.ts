/** How long a service may keep the event loop before letting requests in. */
export const SLICE_MS = 20;

export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A function to call between units of work: it yields to the event loop once `SLICE_MS` have
 * passed since the last yield, so a long pass lets the API answer in between.
 */
export function sliceYield(ms = SLICE_MS): () => Promise<void> {
  let start = performance.now();
  return async () => {
    if (performance.now() - start < ms) return;
    await yieldToEventLoop();
    start = performance.now();
  };
}
