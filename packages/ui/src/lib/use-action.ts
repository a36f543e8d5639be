import { useCallback, useState } from "react";

export interface Action {
  busy: boolean;
  error: Error | undefined;
  /** Runs `work`, with `busy` set meanwhile and what it throws kept in `error` for an alert. */
  run: (work: () => Promise<void>) => Promise<void>;
  setError: (error: Error | undefined) => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const run = useCallback(async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, setError };
}
