import { useState, type ReactNode } from "react";
import { draftFor, type Draft } from "../../lib/schema-draft";
import { childPath, showsRequired } from "../../lib/schema-form";
import { draftToJson, jsonToDraft } from "../../lib/schema-values";
import { elementId, useSchemaContext } from "./context";
import { FieldProblem, LeafField, type EditorProps } from "./LeafField";
import { ArrayRows, DictRows } from "./RowEditors";

/** The editor a field's schema calls for: an input, a fieldset of fields, rows, or JSON text. */
export function FieldEditor(props: EditorProps) {
  const { spec } = props;
  if (spec.kind === "object" || spec.kind === "array" || spec.kind === "dict") return <StructuredField {...props} />;
  return <LeafField {...props} />;
}

/** The fields of an object, each by its own schema. */
export function ObjectFields({ spec, draft, path, onChange }: Omit<EditorProps<Extract<Draft, { t: "object" }>>, "label">) {
  return (
    <>
      {(spec.children ?? []).map((child) => {
        const at = childPath(path, child.name);
        const value = draft.fields[child.name] ?? draftFor(child, undefined);
        return <FieldEditor key={child.name} spec={child} draft={value} path={at} label={child.label} onChange={(next) => onChange({ t: "object", fields: { ...draft.fields, [child.name]: next } })} />;
      })}
    </>
  );
}

/**
 * A switch between a field's editors and its value as JSON text, for what the editors cannot
 * say. Back from JSON only when the text fits the field; else it says why and stays JSON.
 */
export function JsonSwitch({ props, label, children }: { props: EditorProps; label: string; children: ReactNode }) {
  const { spec, draft, path, onChange } = props;
  const { idPrefix, zone } = useSchemaContext();
  const [problem, setProblem] = useState<string>();
  const asJson = draft.t === "json";
  const id = `${elementId(idPrefix, path)}-switch`;
  const toggle = () => {
    setProblem(undefined);
    if (!asJson) return onChange({ t: "json", text: draftToJson(spec, draft, zone) });
    const back = jsonToDraft(spec, draft.text, zone);
    if ("problem" in back) setProblem(back.problem);
    else onChange(back.draft);
  };
  return (
    <>
      <div className="field-tools">
        <button type="button" className="secondary small" aria-pressed={asJson} aria-label={label} onClick={toggle} aria-describedby={problem ? `${id}-error` : undefined}>
          JSON
        </button>
      </div>
      {problem && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {path || "parameters"}: {problem}
        </p>
      )}
      {asJson ? <LeafField {...props} label={`${props.label} (JSON)`} /> : children}
    </>
  );
}

/** An object, a list or a free-form object: a fieldset with its editors, or its JSON. */
function StructuredField(props: EditorProps) {
  const { spec, draft, path, label, onChange } = props;
  const { idPrefix, error } = useSchemaContext();
  const id = elementId(idPrefix, path);
  const message = draft.t === "json" ? undefined : error(path);
  let body: ReactNode = null;
  if (draft.t === "object") body = <ObjectFields spec={spec} draft={draft} path={path} onChange={onChange} />;
  else if (draft.t === "array") body = <ArrayRows spec={spec} draft={draft} path={path} label={label} onChange={onChange} Field={FieldEditor} />;
  else if (draft.t === "dict") body = <DictRows spec={spec} draft={draft} path={path} label={label} onChange={onChange} Field={FieldEditor} />;
  return (
    <fieldset className={`nested ${spec.kind}`} aria-describedby={spec.description ? `${id}-hint` : undefined}>
      <legend>
        {label}
        {showsRequired(spec) && <span className="req"> (required)</span>}
      </legend>
      {spec.description && (
        <p className="hint" id={`${id}-hint`}>
          {spec.description}
        </p>
      )}
      <JsonSwitch props={props} label={`Edit ${path} as JSON`}>
        {body}
      </JsonSwitch>
      <FieldProblem id={id} path={path} message={message} />
    </fieldset>
  );
}
