/** A field's problem, under it; the field points at it (useCheckedDraft's invalid). Nothing when there is none. */
export function Problem({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} className="field-error">
      {text}
    </p>
  ) : null;
}
