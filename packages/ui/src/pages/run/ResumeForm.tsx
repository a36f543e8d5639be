import { call } from "../../api/client";
import type { FlowRun } from "../../api/types";
import { FormActions } from "../../components/FormActions";
import { FixSummary, SchemaFields, useSchemaForm } from "../../components/schema-fields/SchemaFields";
import { formatLocal } from "../../lib/time";
import { useDisplayZone } from "../../lib/display-zone";

/**
 * Resumes a Paused run (pauseFlowRun in its code): with a form built from the input schema its
 * Paused state carries, drawn by the run form's own editors, or a plain button when it waits for
 * no input. The server checks the input.
 */
export function ResumeForm({ run, onResumed }: { run: FlowRun; onResumed: () => void }) {
  const zone = useDisplayZone();
  const schema = run.state.state_details.input_schema;
  const form = useSchemaForm(schema ?? { type: "object", properties: {} });
  const resume = async (input: Record<string, unknown>) => {
    await call("resumeFlowRun", { params: { id: run.id }, body: schema ? { input } : {} });
    onResumed();
  };
  const timeout = run.state.state_details.pause_timeout;

  return (
    <form aria-label="Resume run" className="card run-form" onSubmit={(e) => form.submit(e, resume)} noValidate>
      <h2>{schema ? "This run waits for input" : "This run is paused"}</h2>
      {timeout && <p className="muted">It fails unless resumed by {formatLocal(timeout, zone)}.</p>}
      {schema && !form.noParameters && <SchemaFields form={form} idPrefix="input" />}
      {form.touched && <FixSummary errors={form.result.errors} what="the run can resume" />}
      <FormActions error={form.error} busy={form.busy} submitLabel="Resume" busyLabel="Resuming…" />
    </form>
  );
}
