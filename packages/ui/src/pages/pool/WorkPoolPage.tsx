import { useState } from "react";
import { api, enc } from "../../api/client";
import { useLive } from "../../api/live";
import type { BaseJobTemplate, Deployment, Page, WorkPool, Worker, WorkQueue } from "../../api/types";
import { Id, Time } from "../../components/Copy";
import { ErrorAlert, Loading } from "../../components/ErrorAlert";
import { StatusBadge } from "../../components/PoolStatus";
import { useApi } from "../../lib/use-api";
import { JobPreview } from "./JobPreview";
import { TemplateEditor } from "./TemplateEditor";

export function WorkPoolPage({ name }: { name: string }) {
  const path = `/work_pools/${enc(name)}`;
  const pool = useApi(name, () => api.get<WorkPool>(path));
  const [refresh, setRefresh] = useState(0);
  const queues = useApi(`${name}:${refresh}`, () => api.get<{ items: WorkQueue[] }>(`${path}/queues`));
  const workers = useApi(`${name}:${refresh}`, () => api.get<{ items: Worker[] }>(`${path}/workers`));
  const deployments = useApi(name, () => api.get<Page<Deployment>>("/deployments", { work_pool_name: name, limit: 500 }));
  const [saved, setSaved] = useState<WorkPool>();
  const [draft, setDraft] = useState<BaseJobTemplate>();
  useLive({ types: "worker", work_pool_name: name }, () => setRefresh((r) => r + 1));

  if (pool.error) return <ErrorAlert error={pool.error} />;
  const p = saved ?? pool.data;
  if (!p) return <Loading what="the work pool" />;

  return (
    <>
      <div className="page-head">
        <h1>{p.name}</h1>
        <StatusBadge status={p.status} />
      </div>
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

      <section>
        <h2>Queues</h2>
        <ErrorAlert error={queues.error} />
        {queues.data && (
          <div className="table-wrap">
            <table aria-label="Queues">
              <thead>
                <tr>
                  <th scope="col">Queue</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Concurrency limit</th>
                  <th scope="col">Paused</th>
                </tr>
              </thead>
              <tbody>
                {queues.data.items.map((q) => (
                  <tr key={q.id}>
                    <td>{q.name}</td>
                    <td className="num">{q.priority}</td>
                    <td className="num">{q.concurrency_limit ?? "–"}</td>
                    <td>{q.paused ? "yes" : "no"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section>
        <h2>Workers</h2>
        <ErrorAlert error={workers.error} />
        {workers.data && workers.data.items.length === 0 && <p className="muted">No worker has polled this pool. Start one: <code>baton worker start --pool {p.name}</code></p>}
        {workers.data && workers.data.items.length > 0 && (
          <div className="table-wrap">
            <table aria-label="Workers">
              <thead>
                <tr>
                  <th scope="col">Worker</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last heartbeat</th>
                </tr>
              </thead>
              <tbody>
                {workers.data.items.map((w) => (
                  <tr key={w.id}>
                    <td>{w.name}</td>
                    <td>
                      <StatusBadge status={w.status} />
                    </td>
                    <td>
                      <Time iso={w.last_heartbeat_time} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
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
