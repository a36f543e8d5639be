import { useState, type FormEvent } from "react";
import { call } from "../../api/client";
import type { WorkPool } from "../../api/types";
import { ConfirmButton } from "../../components/ConfirmButton";
import { ErrorAlert } from "../../components/ErrorAlert";
import { parseLimit } from "../../lib/limit-input";
import { useAction } from "../../lib/use-action";
import { navigate } from "../../router/router";

/** An admin's controls of a pool: pause or resume it, change its concurrency limit, delete it. */
export function PoolControls({ pool, onSaved }: { pool: WorkPool; onSaved: (pool: WorkPool) => void }) {
  const [limit, setLimit] = useState(pool.concurrency_limit === null ? "" : String(pool.concurrency_limit));
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const parsed = parseLimit(limit);
  const problem = "problem" in parsed ? parsed.problem : undefined;
  const unchanged = "value" in parsed && parsed.value === pool.concurrency_limit;

  const update = (body: { paused?: boolean; concurrency_limit?: number | null }) =>
    void run(async () => {
      setSaved(false);
      const result = await call("updateWorkPool", { params: { name: pool.name }, body });
      onSaved(result.work_pool);
      if (body.concurrency_limit !== undefined) setSaved(true);
    });

  const saveLimit = (event: FormEvent) => {
    event.preventDefault();
    if ("value" in parsed) update({ concurrency_limit: parsed.value });
  };

  const remove = () =>
    void run(async () => {
      await call("deleteWorkPool", { params: { name: pool.name } });
      navigate("/work-pools");
    });

  return (
    <div className="pool-controls">
      <div className="buttons">
        <button type="button" className="secondary" disabled={busy} onClick={() => update({ paused: !pool.paused })}>
          {pool.paused ? "Resume pool" : "Pause pool"}
        </button>
        <ConfirmButton
          label="Delete pool"
          ariaLabel={`Delete pool ${pool.name}`}
          question={`Delete work pool "${pool.name}" and its queues? Its workers stop getting runs, and deployments that name it cannot run until it exists again.`}
          onConfirm={remove}
        />
      </div>
      <form className="inline-form" onSubmit={saveLimit} aria-label="Pool concurrency limit">
        <div className="field">
          <label htmlFor="pool-concurrency">Concurrency limit</label>
          <input
            id="pool-concurrency"
            inputMode="numeric"
            value={limit}
            placeholder="none"
            onChange={(e) => {
              setLimit(e.target.value);
              setSaved(false);
            }}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? "pool-concurrency-problem" : undefined}
          />
          {problem && (
            <p id="pool-concurrency-problem" className="field-error">
              {problem}
            </p>
          )}
        </div>
        <div className="field actions">
          <button type="submit" disabled={busy || Boolean(problem) || unchanged}>
            Save limit
          </button>
          {saved && (
            <span className="ok" role="status">
              Saved.
            </span>
          )}
        </div>
      </form>
      <ErrorAlert error={error} />
    </div>
  );
}
