import type { Draft } from "../../lib/schema-draft";
import { showsRequired, type FieldSpec } from "../../lib/schema-form";
import { formatUtc, localInputToIso } from "../../lib/time";
import { elementId, useSchemaContext } from "./context";

export interface EditorProps<D extends Draft = Draft> {
  spec: FieldSpec;
  draft: D;
  /** Where the value sits (`items[2].name`): its problems and its element id. */
  path: string;
  /** What the control is called: the field's title, or its path inside a list. */
  label: string;
  onChange: (draft: Draft) => void;
}

/** A problem under a control, naming the place it is at; tied to the control by its id. */
export function FieldProblem({ id, path, message }: { id: string; path: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={`${id}-error`} role="alert">
      {path}: {message}
    </p>
  );
}

function typeText(spec: FieldSpec, zone: string | undefined): string {
  if (spec.kind === "json") return "JSON";
  if (spec.kind === "any") return "JSON or text";
  if (spec.format === "date-time") return `date and time, ${zone === "UTC" ? "UTC" : "your local time"}`;
  if (spec.format === "date") return "date";
  return spec.kind;
}

/** One input: text, number, a choice, a checkbox, a date, a date and time, or JSON text. */
export function LeafField({ spec, draft, path, label, onChange }: EditorProps) {
  const { idPrefix, error, zone } = useSchemaContext();
  const id = elementId(idPrefix, path);
  const message = error(path);
  const text = draft.t === "text" || draft.t === "json" ? draft.text : "";
  // A date and time is typed as a wall time in the display zone: say the instant it stands for.
  const sent = spec.format === "date-time" && text ? localInputToIso(text, zone) : undefined;
  const hint = [spec.description, sent ? `Sent as ${sent} (${formatUtc(sent)}).` : undefined].filter(Boolean).join(" ");
  const describedBy = [hint ? `${id}-hint` : "", message ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const common = { id, "aria-invalid": message ? true : undefined, "aria-describedby": describedBy };
  const setText = (value: string) => onChange({ t: draft.t === "json" ? "json" : "text", text: value });

  let input;
  if (draft.t === "check") {
    input = <input type="checkbox" {...common} checked={draft.on} onChange={(e) => onChange({ t: "check", on: e.target.checked })} />;
  } else if (draft.t === "json") {
    input = <textarea {...common} rows={Math.min(12, Math.max(3, text.split("\n").length))} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} placeholder="JSON" />;
  } else if (spec.kind === "enum") {
    input = (
      <select {...common} value={text} onChange={(e) => setText(e.target.value)}>
        {(!spec.required || spec.hasDefault || text === "") && <option value="">{spec.hasDefault ? "(default)" : "(none)"}</option>}
        {(spec.enumValues ?? []).map((v) => (
          <option key={JSON.stringify(v)} value={JSON.stringify(v)}>
            {typeof v === "string" ? v : JSON.stringify(v)}
          </option>
        ))}
      </select>
    );
  } else if (spec.format === "date-time" || spec.format === "date") {
    input = <input {...common} type={spec.format === "date" ? "date" : "datetime-local"} step={spec.format === "date" ? undefined : 1} value={text} onChange={(e) => setText(e.target.value)} />;
  } else {
    const numeric = spec.kind === "number" || spec.kind === "integer";
    input = <input {...common} type="text" inputMode={numeric ? (spec.kind === "integer" ? "numeric" : "decimal") : undefined} value={text} onChange={(e) => setText(e.target.value)} />;
  }
  return (
    <div className={draft.t === "check" ? "field check" : "field"}>
      <div className="label-row">
        <label htmlFor={id}>{label}</label>
        {showsRequired(spec) && <span className="req">required</span>}
        <span className="type">{draft.t === "json" && spec.kind !== "json" ? "JSON" : typeText(spec, zone)}</span>
      </div>
      {input}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldProblem id={id} path={path} message={message} />
    </div>
  );
}
