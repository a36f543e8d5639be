import { useMemo, useState, type FormEvent } from "react";
import { useAction } from "../../lib/use-action";
import { useZoneChange, useDisplayZone } from "../../lib/display-zone";
import { initialDraft, rezoneDraft, type Draft } from "../../lib/schema-draft";
import { fieldsFromSchema, ROOT_PATH, rootSpec, type FieldSpec } from "../../lib/schema-form";
import { formToParameters, type FormResult } from "../../lib/schema-values";
import { rezoneLocalInput } from "../../lib/time";
import { SchemaContext } from "./context";
import { JsonSwitch, ObjectFields } from "./FieldEditor";
import { LeafField } from "./LeafField";

export interface SchemaForm {
  fields: FieldSpec[];
  draft: Draft;
  setDraft: (draft: Draft) => void;
  result: FormResult;
  /** Problems show from the first try to send, not on a fresh form. */
  touched: boolean;
  setTouched: (touched: boolean) => void;
  /** The schema declares no parameters: nothing to fill in. */
  noParameters: boolean;
  /**
   * Sends the values with `work` unless a field (or one of `otherProblems` outside the schema's
   * fields) needs a fix; from then on every problem shows.
   */
  submit: (event: FormEvent, work: (values: Record<string, unknown>) => Promise<void>, otherProblems?: number) => void;
  busy: boolean;
  error: Error | undefined;
}

function takesNoParameters(schema: unknown): boolean {
  if (typeof schema !== "object" || schema === null) return false;
  const { type, properties, additionalProperties } = schema as Record<string, unknown>;
  return type === "object" && (properties === undefined || (typeof properties === "object" && properties !== null && Object.keys(properties).length === 0)) && additionalProperties !== true;
}

/**
 * A form's state from a parameter JSON Schema: the run form's and the resume form's. Without a
 * schema (or with one the editors cannot draw) the values are one JSON object.
 */
export function useSchemaForm(schema: unknown, parameters: Record<string, unknown> = {}): SchemaForm {
  const fields = useMemo(() => fieldsFromSchema(schema), [schema]);
  const noParameters = fields.length === 0 && takesNoParameters(schema);
  const initialZone = useDisplayZone();
  const [draft, setDraft] = useState<Draft>(() => (fields.length > 0 || noParameters ? initialDraft(fields, parameters, initialZone) : { t: "json", text: JSON.stringify(parameters, null, 2) }));
  // A zone switch keeps the values typed: a date-time's wall time moves to the new zone, the same instant.
  const zone = useZoneChange((from, to) => setDraft((d) => rezoneDraft(fields, d, (text) => rezoneLocalInput(text, from, to))));
  const [touched, setTouched] = useState(false);
  const result = useMemo(() => formToParameters(fields, draft, zone), [fields, draft, zone]);
  const { busy, error, run } = useAction();
  const submit = (event: FormEvent, work: (values: Record<string, unknown>) => Promise<void>, otherProblems = 0) => {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(result.errors).length + otherProblems > 0) return;
    void run(() => work(result.parameters));
  };
  return { fields, draft, setDraft, result, touched, setTouched, noParameters, submit, busy, error };
}

/** The form's fields, each by its schema; or all of them as one JSON object. */
export function SchemaFields({ form, idPrefix }: { form: SchemaForm; idPrefix: string }) {
  const { fields, draft, setDraft, result, touched, noParameters } = form;
  const zone = useDisplayZone();
  const context = useMemo(() => ({ idPrefix, zone, error: (path: string) => (touched ? result.errors[path] : undefined) }), [idPrefix, zone, touched, result]);
  if (noParameters) return <p className="muted">This flow takes no parameters.</p>;
  const spec = rootSpec(fields);
  const props = { spec: { ...spec, kind: "json" as const }, draft, path: ROOT_PATH, label: "Parameters", onChange: setDraft };
  return (
    <SchemaContext.Provider value={context}>
      {fields.length === 0 ? (
        <LeafField {...props} label="Parameters (JSON)" />
      ) : (
        <JsonSwitch props={{ ...props, spec }} label="Edit all parameters as JSON">
          {draft.t === "object" && <ObjectFields spec={spec} draft={draft} path="" onChange={setDraft} />}
        </JsonSwitch>
      )}
    </SchemaContext.Provider>
  );
}

/** "2 fields need a fix before the run can start: items[2].name, limit." */
export function FixSummary({ errors, what }: { errors: Record<string, string>; what: string }) {
  const paths = Object.keys(errors);
  if (paths.length === 0) return null;
  return (
    <p className="field-error" role="alert">
      {paths.length === 1 ? "One field needs a fix" : `${paths.length} fields need a fix`} before {what}: {paths.join(", ")}.
    </p>
  );
}
