import type { RouteOutput } from "@baton/core";
import { useMemo, useState } from "react";
import { call } from "../../api/client";
import type { BaseJobTemplate, WorkPool } from "../../api/types";
import { useSession } from "../../session/session";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useAction } from "../../lib/use-action";
import { checkTemplateText } from "../../lib/template-check";

/** The base job template as JSON, checked on every keystroke; admins save it (PATCH). */
export function TemplateEditor({ pool, onSaved, onDraft }: { pool: WorkPool; onSaved: (pool: WorkPool) => void; onDraft: (t: BaseJobTemplate | undefined) => void }) {
  const { can } = useSession();
  const original = useMemo(() => JSON.stringify(pool.base_job_template, null, 2), [pool.base_job_template]);
  const [text, setText] = useState(original);
  const [saved, setSaved] = useState<RouteOutput<"updateWorkPool">>();
  const { busy, error, run } = useAction();
  const check = useMemo(() => checkTemplateText(text), [text]);
  const editable = can("admin");
  const syntaxOk = !check.problems.some((p) => p.message.startsWith("Not valid JSON"));

  const change = (next: string) => {
    setText(next);
    setSaved(undefined);
    onDraft(checkTemplateText(next).template);
  };

  const save = () => {
    setSaved(undefined);
    return run(async () => {
      // The server has the last word: send whatever parses, and show its answer verbatim.
      const result = await call("updateWorkPool", { params: { name: pool.name }, body: { base_job_template: JSON.parse(text) as BaseJobTemplate } });
      setSaved(result);
      onSaved(result.work_pool);
    });
  };

  return (
    <div className="template-editor">
      <label htmlFor="base-job-template">Base job template</label>
      <textarea
        id="base-job-template"
        className="code"
        rows={Math.min(30, Math.max(12, text.split("\n").length + 1))}
        spellCheck={false}
        value={text}
        readOnly={!editable}
        onChange={(e) => change(e.target.value)}
        aria-invalid={check.problems.some((p) => p.severity === "error") ? true : undefined}
        aria-describedby="template-problems"
      />
      <div id="template-problems" aria-label="Template problems" aria-live="polite" className="problems">
        {check.problems.length === 0 ? (
          <p className="ok">Template looks right.</p>
        ) : (
          <ul>
            {check.problems.map((p, i) => (
              <li key={i} className={p.severity}>
                <strong>{p.severity === "error" ? "Error" : "Warning"}</strong> {p.path && <code>{p.path}</code>} {p.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <ErrorAlert error={error} />
      {saved && (
        <p className="ok" role="status">
          Saved.
          {saved.warnings.map((w, i) => (
            <span key={i} className="warning">
              {" "}
              <code>{w.path}</code> {w.message}
            </span>
          ))}
        </p>
      )}
      {editable && (
        <div className="buttons">
          <button type="button" onClick={() => void save()} disabled={busy || !syntaxOk || text === original}>
            Save template
          </button>
          <button type="button" className="secondary" onClick={() => change(original)} disabled={text === original}>
            Discard changes
          </button>
        </div>
      )}
    </div>
  );
}
