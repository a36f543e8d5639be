import type { Output } from "../output/io.js";

/**
 * Keep a worker in the foreground until SIGINT/SIGTERM: the first stops claiming and waits for
 * its runs, a second one ends them (the worker's own stop() semantics).
 */
export function runUntilSignals(worker: { stop(): Promise<void> }, out: Output): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopping: Promise<void> | undefined;
    const off = () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    };
    const handler = (signal: NodeJS.Signals) => {
      out.note(`Received ${signal}`);
      const first = stopping === undefined;
      stopping = worker.stop();
      if (first) stopping.then(() => (off(), resolve()), (error: unknown) => (off(), reject(error)));
    };
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
  });
}
