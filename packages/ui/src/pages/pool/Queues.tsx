import { useState, type FormEvent } from "react";
import { call } from "../../api/client";
import type { WorkPool, WorkQueue } from "../../api/types";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { ErrorAlert } from "../../components/ErrorAlert";
import { parseLimit } from "../../lib/limit-input";
import { useAction } from "../../lib/use-action";
import { useSession } from "../../session/session";

/** A pool's queues by priority; an admin pauses, resumes, deletes (not the default) and adds them. */
export function Queues({ pool, queues, onChanged }: { pool: WorkPool; queues: WorkQueue[]; onChanged: () => void }) {
  const { can } = useSession();
  const admin = can("admin");
  const { busy, error, run } = useAction();
  const act = (work: () => Promise<unknown>) =>
    void run(async () => {
      await work();
      onChanged();
    });
  const params = (q: WorkQueue) => ({ name: pool.name, queue: q.name });
  return (
    <>
      <DataTable
        label="Queues"
        items={queues}
        itemKey={(q) => q.id}
        columns={[
          { header: "Queue", cell: (q) => q.name },
          { header: "Priority", className: "num", cell: (q) => q.priority },
          { header: "Concurrency limit", className: "num", cell: (q) => q.concurrency_limit ?? "–" },
          { header: "Paused", cell: (q) => (q.paused ? "yes" : "no") },
          admin && {
            header: "Actions",
            hideHeader: true,
            cell: (q) => (
              <span className="buttons">
                <button type="button" className="secondary small" disabled={busy} aria-label={`${q.paused ? "Resume" : "Pause"} queue ${q.name}`} onClick={() => act(() => call("updateWorkQueue", { params: params(q), body: { paused: !q.paused } }))}>
                  {q.paused ? "Resume" : "Pause"}
                </button>
                {q.name !== pool.default_queue_name && (
                  <ConfirmButton label="Delete" ariaLabel={`Delete queue ${q.name}`} question={`Delete queue "${q.name}"? Deployments that name it cannot run until it exists again.`} onConfirm={() => act(() => call("deleteWorkQueue", { params: params(q) }))} />
                )}
              </span>
            ),
          },
        ]}
      />
      <ErrorAlert error={error} />
      {admin && <NewQueueForm pool={pool} onAdded={onChanged} />}
    </>
  );
}

function NewQueueForm({ pool, onAdded }: { pool: WorkPool; onAdded: () => void }) {
  const [name, setName] = useState("");
  const [priority, setPriority] = useState("1");
  const [limit, setLimit] = useState("");
  const { busy, error, run } = useAction();
  const parsedLimit = parseLimit(limit);
  const limitProblem = "problem" in parsedLimit ? parsedLimit.problem : undefined;
  const priorityNumber = Number(priority);
  const priorityProblem = Number.isInteger(priorityNumber) && priorityNumber >= 1 && priorityNumber <= 1000 ? undefined : "A whole number from 1 (served first) to 1000";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!("value" in parsedLimit) || priorityProblem) return;
    void run(async () => {
      await call("createWorkQueue", { params: { name: pool.name }, body: { name: name.trim(), priority: priorityNumber, concurrency_limit: parsedLimit.value } });
      setName("");
      setLimit("");
      onAdded();
    });
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Add a queue">
      <div className="field">
        <label htmlFor="queue-name">New queue</label>
        <input id="queue-name" value={name} onChange={(e) => setName(e.target.value)} required spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="queue-priority">Priority</label>
        <input id="queue-priority" inputMode="numeric" value={priority} onChange={(e) => setPriority(e.target.value)} aria-invalid={priorityProblem ? true : undefined} aria-describedby={priorityProblem ? "queue-priority-problem" : undefined} />
        {priorityProblem && (
          <p id="queue-priority-problem" className="field-error">
            {priorityProblem}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor="queue-limit">Queue concurrency limit</label>
        <input id="queue-limit" inputMode="numeric" value={limit} placeholder="none" onChange={(e) => setLimit(e.target.value)} aria-invalid={limitProblem ? true : undefined} aria-describedby={limitProblem ? "queue-limit-problem" : undefined} />
        {limitProblem && (
          <p id="queue-limit-problem" className="field-error">
            {limitProblem}
          </p>
        )}
      </div>
      <div className="field actions">
        <button type="submit" disabled={busy || Boolean(limitProblem) || Boolean(priorityProblem)}>
          Add queue
        </button>
      </div>
      <ErrorAlert error={error} />
    </form>
  );
}
