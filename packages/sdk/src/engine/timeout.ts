/**
 * Settles with `work`, or rejects with `makeError()` after `seconds` and aborts `controller`
 * so code that listens to the run's signal stops too. JavaScript cannot stop a function from
 * outside: work that ignores the signal goes on in the background, but the run has moved on.
 */
export function withTimeout<T>(
  work: Promise<T>,
  seconds: number | undefined,
  makeError: () => Error,
  controller?: AbortController,
): Promise<T> {
  if (seconds === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = makeError();
      controller?.abort(error);
      reject(error);
    }, seconds * 1000);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Rejects as soon as `signal` aborts (with its reason), else settles with `work`. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}
