/**
 * A button for a step that cannot be undone (revoke a key, delete a secret): it asks first, with
 * `question` saying what will stop working, and does nothing unless the user agrees.
 */
export function ConfirmButton({ label, ariaLabel, question, onConfirm }: { label: string; ariaLabel: string; question: string; onConfirm: () => void }) {
  return (
    <button type="button" className="danger small" aria-label={ariaLabel} onClick={() => window.confirm(question) && onConfirm()}>
      {label}
    </button>
  );
}
