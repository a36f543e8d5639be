import { useState } from "react";
import { call, enc } from "../../api/client";
import { useLive, useLiveRefresh } from "../../api/live";
import type { BaseJobTemplate, WorkPool } from "../../api/types";
import { Id, Time } from "../../components/Copy";
import { DataTable } from "../../components/DataTable";
import { ErrorAlert, Loading } from "../../components/ErrorAlert";
import { StatusBadge } from "../../components/PoolStatus";
import { RunsTable } from "../../components/RunsTable";
import { useApi } from "../../lib/use-api";
import { Link } from "../../router/router";
import { useSession } from "../../session/session";
import { JobPreview } from "./JobPreview";
import { PoolReadiness, liveStatus } from "./PoolReadiness";
import { PoolControls } from "./PoolControls";
import { Queues } from "./Queues";
import { TemplateEditor } from "./TemplateEditor";

/** The pool's latest runs shown; the runs page has them all (filtered by pool). */
const RUNS = 20;

export function WorkPoolPage({ name }: { name: string }) {
  const { can } = useSession();
  const params = { name };
  const pool = useApi(name, () => call("readWorkPool", { params }));
  const [refresh, setRefresh] = useState(0);
  const queues = useApi(`${name}:${refresh}`, () => call("listWorkQueues", { params }));
  const workers = useApi(`${name}:${refresh}`, () => call("listWorkers", { params }));
  const deployments = useApi(name, () => call("listDeployments", { query: { work_pool_name: name, limit: 500 } }));
  const [saved, setSaved] = useState<WorkPool>();
  const [draft, setDraft] = useState<BaseJobTemplate>();
  const runs = useApi(`runs:${name}`, () => call("listFlowRuns", { query: { work_pool_name: name, limit: RUNS, upcoming: "exclude" } }));
  // A heartbeat refreshes workers and queues (and so the status); a run's state, the runs table.
  useLive({ types: "worker", work_pool_name: name }, () => setRefresh((r) => r + 1));
  useLiveRefresh({ types: "flow_run", work_pool_name: name }, runs.reload, 1500, !pool.error);

  if (pool.error) return <ErrorAlert error={pool.error} />;
  const p = saved ?? pool.data;
  if (!p) return <Loading what="the work pool" />;

  return (
    <>
      <div className="page-head">
        <h1>{p.name}</h1>
        <StatusBadge status={liveStatus(p, workers.data?.items)} />
      </div>
      <PoolReadiness pool={p} workers={workers.data?.items} queues={queues.data?.items} />
      {p.description && <p>{p.description}</p>}
      <dl className="facts">
        <dt>ID</dt>
        <dd>
          <Id id={p.id} />
        </dd>
        <dt>Type</dt>
        <dd>{p.type}</dd>
        <dt>Concurrency limit</dt>
        <dd>{p.concurrency_limit ?? "none"}</dd>
        <dt>Default queue</dt>
        <dd>{p.default_queue_name}</dd>
        <dt>Updated</dt>
        <dd>
          <Time iso={p.updated} />
        </dd>
      </dl>
      {can("admin") && <PoolControls pool={p} onSaved={setSaved} />}

      <section>
        <h2>Queues</h2>
        <ErrorAlert error={queues.error} />
        {queues.data && <Queues pool={p} queues={queues.data.items} onChanged={() => setRefresh((r) => r + 1)} />}
      </section>

      <section>
        <h2>Workers</h2>
        <ErrorAlert error={workers.error} />
        {workers.data && (
          <DataTable
            label="Workers"
            items={workers.data.items}
            itemKey={(w) => w.id}
            empty={
              <>
                No worker has polled this pool. Start one: <code>baton worker start --pool {p.name}</code>
              </>
            }
            columns={[
              { header: "Worker", cell: (w) => w.name },
              { header: "Status", cell: (w) => <StatusBadge status={w.status} /> },
              { header: "Last heartbeat", cell: (w) => <Time iso={w.last_heartbeat_time} /> },
            ]}
          />
        )}
      </section>

      <section>
        <h2>Runs</h2>
        <ErrorAlert error={runs.error} />
        {runs.data && (runs.data.items.length === 0 ? <p className="muted">No run of this pool has started yet.</p> : <RunsTable runs={runs.data.items} label={`Runs of ${p.name}`} />)}
        <p>
          <Link to={`/runs?pool=${enc(p.name)}`}>All runs of this pool</Link>
        </p>
      </section>

      <section>
        <h2>Base job template</h2>
        <TemplateEditor pool={p} onSaved={setSaved} onDraft={setDraft} />
      </section>

      <section>
        <h2>Preview</h2>
        <JobPreview pool={p} template={draft ?? p.base_job_template} deployments={deployments.data?.items ?? []} />
      </section>
    </>
  );
}
