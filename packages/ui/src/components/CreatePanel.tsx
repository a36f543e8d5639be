import { useState, type ReactNode } from "react";
import { ErrorAlert } from "./ErrorAlert";

/**
 * The top of a list page that can add to its list: a "New …" button (for those allowed), the
 * create form in its place while open, what the last change did, and what went wrong.
 * `form(close)`: the form; it calls `close` when created or cancelled.
 */
export function CreatePanel({ allowed, buttonLabel, done, error, form }: { allowed: boolean; buttonLabel: string; done: string; error: Error | undefined; form: (close: () => void) => ReactNode }) {
  const [creating, setCreating] = useState(false);
  return (
    <>
      {allowed && !creating && (
        <div className="buttons">
          <button type="button" onClick={() => setCreating(true)}>
            {buttonLabel}
          </button>
        </div>
      )}
      {allowed && creating && form(() => setCreating(false))}
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      <ErrorAlert error={error} />
    </>
  );
}
