import { useMemo, useState, type FormEvent } from "react";
import { call } from "../../api/client";
import type { FlowRun } from "../../api/types";
import { ErrorAlert } from "../../components/ErrorAlert";
import { Field } from "../../components/RunForm";
import { fieldsFromSchema, formToParameters, initialValues, type FormValues } from "../../lib/schema-form";

/**
 * Resumes a Paused run (pauseFlowRun in its code): with a form built from the input schema its
 * Paused state carries, or a plain button when it waits for no input. The server checks the input.
 */
export function ResumeForm({ run, onResumed }: { run: FlowRun; onResumed: () => void }) {
  const schema = run.state.state_details.input_schema;
  const fields = useMemo(() => (schema ? fieldsFromSchema(schema) : []), [schema]);
  const [values, setValues] = useState<FormValues>(() => initialValues(fields, {}));
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const result = useMemo(() => formToParameters(fields, values), [fields, values]);
  const errorCount = Object.keys(result.errors).length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    setError(undefined);
    if (errorCount > 0) return;
    setBusy(true);
    try {
      await call("resumeFlowRun", { params: { id: run.id }, body: schema ? { input: result.parameters } : {} });
      onResumed();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  const show = (path: string) => (touched ? result.errors[path] : undefined);

  return (
    <form aria-label="Resume run" className="card run-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{schema ? "This run waits for input" : "This run is paused"}</h2>
      {run.state.state_details.pause_timeout && <p className="muted">It fails unless resumed by {new Date(run.state.state_details.pause_timeout).toLocaleString()}.</p>}
      {fields.map((field) => (
        <Field key={field.path} field={field} values={values} error={show} onChange={(path, value) => setValues((v) => ({ ...v, [path]: value }))} />
      ))}
      <ErrorAlert error={error} />
      <button type="submit" disabled={busy}>
        {busy ? "Resuming…" : "Resume"}
      </button>
    </form>
  );
}
