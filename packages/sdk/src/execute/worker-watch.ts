/**
 * A run a worker launched dies with its worker: once the worker is gone nobody can cancel the
 * run or record how its process ended, so it ends now, Crashed, rather than running unseen.
 * The worker is the process's parent (BATON_WORKER_PID says one launched us); when it dies the
 * process is adopted by another and `process.ppid` changes.
 */
export function watchWorker(onGone: () => void, env: NodeJS.ProcessEnv = process.env): () => void {
  if (!env.BATON_WORKER_PID) return () => {};
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      onGone();
    }
  }, 500);
  timer.unref();
  return () => clearInterval(timer);
}
