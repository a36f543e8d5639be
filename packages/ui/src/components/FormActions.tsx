import { ErrorAlert } from "./ErrorAlert";

/** The foot of a form: what the server refused, the submit button, and Cancel where it can be left. */
export function FormActions({ error, busy, submitLabel, busyLabel, onCancel }: { error: Error | undefined; busy: boolean; submitLabel: string; busyLabel?: string; onCancel?: () => void }) {
  return (
    <>
      <ErrorAlert error={error} />
      <div className="buttons">
        <button type="submit" disabled={busy}>
          {busy && busyLabel ? busyLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </>
  );
}
