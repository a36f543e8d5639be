import { useMemo, useState, type FormEvent } from "react";
import { call } from "../api/client";
import type { Deployment, FlowRun } from "../api/types";
import { fieldsFromSchema, formToParameters, initialValues, type FieldSpec, type FormValues } from "../lib/schema-form";
import { checkRunOptions } from "../lib/run-options";
import { useApi } from "../lib/use-api";
import { ErrorAlert } from "./ErrorAlert";
import { RunOptionsFields } from "./RunOptionsFields";

interface Props {
  deployment: Deployment;
  /** Starting parameters (a run being run again); the deployment's own otherwise. */
  parameters?: Record<string, unknown>;
  submitLabel: string;
  onCreated: (run: FlowRun) => void;
}

/** Runs a deployment with parameters from a form generated from its flow's parameter schema. */
export function RunForm({ deployment, parameters, submitLabel, onCreated }: Props) {
  const fields = useMemo(() => fieldsFromSchema(deployment.parameter_schema), [deployment.parameter_schema]);
  // A schema with no properties: the flow takes no parameters (not "free JSON").
  const noParameters = fields.length === 0 && deployment.parameter_schema !== null && takesNoParameters(deployment.parameter_schema);
  const [values, setValues] = useState<FormValues>(() => initialValues(fields, parameters ?? deployment.parameters));
  const [rawJson, setRawJson] = useState(() => JSON.stringify(parameters ?? deployment.parameters, null, 2));
  const [name, setName] = useState("");
  const [tags, setTags] = useState("");
  const [when, setWhen] = useState("");
  const [jobVariables, setJobVariables] = useState("");
  // The pool's template (its variables) loads when the override is reached for, not with the page.
  const [wantPool, setWantPool] = useState(false);
  const poolName = deployment.work_pool_name;
  const pool = useApi(wantPool && poolName ? `pool:${poolName}` : null, () => call("readWorkPool", { params: { name: poolName ?? "" } }));
  const options = useMemo(() => checkRunOptions(when, jobVariables, pool.data?.base_job_template), [when, jobVariables, pool.data]);
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  // Without a schema the parameters are one JSON object.
  const result = useMemo(() => {
    if (fields.length > 0) return formToParameters(fields, values);
    if (noParameters) return { parameters: {}, errors: {} };
    try {
      const parsed = JSON.parse(rawJson || "{}") as unknown;
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { parameters: {}, errors: { parameters: "must be a JSON object: {\"name\": value}" } };
      return { parameters: parsed as Record<string, unknown>, errors: {} };
    } catch (e) {
      return { parameters: {}, errors: { parameters: `not valid JSON (${e instanceof Error ? e.message : String(e)})` } };
    }
  }, [fields, values, rawJson, noParameters]);
  const errorCount = Object.keys(result.errors).length + Object.keys(options.errors).length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    setError(undefined);
    if (errorCount > 0) return;
    setBusy(true);
    try {
      const tagList = tags.split(",").map((t) => t.trim()).filter(Boolean);
      const body = { parameters: result.parameters, ...(name.trim() ? { name: name.trim() } : {}), ...(tagList.length > 0 ? { tags: tagList } : {}), ...options.body };
      onCreated(await call("runDeployment", { params: { id: deployment.id }, body }));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };

  const show = (path: string) => (touched ? result.errors[path] : undefined);
  const set = (path: string, value: string | boolean) => setValues((v) => ({ ...v, [path]: value }));

  return (
    <form aria-label="Run deployment" className="run-form" onSubmit={(e) => void submit(e)} noValidate>
      {noParameters && <p className="muted">This flow takes no parameters.</p>}
      {fields.length > 0 ? (
        fields.map((field) => <Field key={field.path} field={field} values={values} error={show} onChange={set} />)
      ) : noParameters ? null : (
        <div className="field">
          <label htmlFor="run-parameters">Parameters (JSON)</label>
          <textarea id="run-parameters" rows={5} value={rawJson} onChange={(e) => setRawJson(e.target.value)} spellCheck={false} aria-invalid={show("parameters") ? true : undefined} />
          <FieldError path="parameters" message={show("parameters")} />
        </div>
      )}
      <div className="row">
        <div className="field">
          <label htmlFor="run-name">Run name</label>
          <input id="run-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="generated when empty" />
        </div>
        <div className="field">
          <label htmlFor="run-tags">Tags</label>
          <input id="run-tags" value={tags} onChange={(e) => setTags(e.target.value)} placeholder="comma-separated" />
        </div>
      </div>
      <RunOptionsFields
        when={when}
        onWhen={setWhen}
        jobVariables={jobVariables}
        onJobVariables={setJobVariables}
        onNeedPool={() => setWantPool(true)}
        check={options}
        deployment={deployment}
        declared={pool.data ? Object.keys(pool.data.base_job_template.variables.properties) : undefined}
      />
      {touched && errorCount > 0 && (
        <p className="field-error" role="alert">
          {errorCount === 1 ? "One field needs a fix" : `${errorCount} fields need a fix`} before the run can start.
        </p>
      )}
      <ErrorAlert error={error} />
      <button type="submit" disabled={busy}>
        {busy ? "Starting…" : submitLabel}
      </button>
    </form>
  );
}

function takesNoParameters(schema: Record<string, unknown>): boolean {
  const properties = schema.properties;
  return schema.type === "object" && (properties === undefined || (typeof properties === "object" && properties !== null && Object.keys(properties).length === 0)) && schema.additionalProperties !== true;
}

const inputId = (path: string) => `param-${path.replace(/[^A-Za-z0-9_-]/g, "_")}`;

function FieldError({ path, message }: { path: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={`${inputId(path)}-error`} role="alert">
      {message}
    </p>
  );
}

interface FieldProps {
  field: FieldSpec;
  values: FormValues;
  error: (path: string) => string | undefined;
  onChange: (path: string, value: string | boolean) => void;
}

export function Field({ field, values, error, onChange }: FieldProps) {
  if (field.children) {
    return (
      <fieldset className="nested">
        <legend>
          {field.label}
          {field.required && <span className="req"> (required)</span>}
        </legend>
        {field.description && <p className="hint">{field.description}</p>}
        {field.children.map((child) => (
          <Field key={child.path} field={child} values={values} error={error} onChange={onChange} />
        ))}
      </fieldset>
    );
  }
  const id = inputId(field.path);
  const message = error(field.path);
  const describedBy = [field.description ? `${id}-hint` : "", message ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const common = { id, "aria-invalid": message ? true : undefined, "aria-describedby": describedBy };
  const value = values[field.path];
  const text = typeof value === "string" ? value : "";

  let input;
  if (field.kind === "boolean") {
    input = <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(field.path, e.target.checked)} />;
  } else if (field.kind === "enum") {
    input = (
      <select {...common} value={text} onChange={(e) => onChange(field.path, e.target.value)}>
        {(!field.required || field.hasDefault || text === "") && <option value="">{field.hasDefault ? "(default)" : "(none)"}</option>}
        {(field.enumValues ?? []).map((v) => (
          <option key={JSON.stringify(v)} value={JSON.stringify(v)}>
            {typeof v === "string" ? v : JSON.stringify(v)}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === "json") {
    input = <textarea {...common} rows={3} spellCheck={false} value={text} onChange={(e) => onChange(field.path, e.target.value)} placeholder="JSON" />;
  } else {
    const numeric = field.kind === "number" || field.kind === "integer";
    input = (
      <input
        {...common}
        type="text"
        inputMode={numeric ? (field.kind === "integer" ? "numeric" : "decimal") : undefined}
        value={text}
        onChange={(e) => onChange(field.path, e.target.value)}
        placeholder={field.format === "date-time" ? "2026-11-30T14:05:00Z" : undefined}
      />
    );
  }
  return (
    <div className={field.kind === "boolean" ? "field check" : "field"}>
      <div className="label-row">
        <label htmlFor={id}>{field.label}</label>
        {field.required && !field.hasDefault && <span className="req">required</span>}
        <span className="type">{field.kind === "json" ? "JSON" : field.kind}</span>
      </div>
      {input}
      {field.description && (
        <p className="hint" id={`${id}-hint`}>
          {field.description}
        </p>
      )}
      <FieldError path={field.path} message={message} />
    </div>
  );
}
