/** A field's problem, under it; the field points at it with problemProps. Nothing when there is none. */
export function Problem({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} className="field-error">
      {text}
    </p>
  ) : null;
}

/** What a field with a problem carries: marked invalid, and described by its problem. */
export const problemProps = (id: string, text: string | undefined) => (text ? { "aria-invalid": true as const, "aria-describedby": id } : {});
