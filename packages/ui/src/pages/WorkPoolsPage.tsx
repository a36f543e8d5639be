import { useState } from "react";
import { api, enc } from "../api/client";
import { useLive } from "../api/live";
import type { Page, WorkPool, Worker, WorkQueue } from "../api/types";
import { Link } from "../app/router";
import { Time } from "../components/Copy";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { StatusBadge } from "../components/PoolStatus";
import { useApi } from "../lib/use-api";

export function WorkPoolsPage() {
  const [refresh, setRefresh] = useState(0);
  const pools = useApi(`pools:${refresh}`, () => api.get<Page<WorkPool>>("/work_pools", { limit: 500 }));
  // A heartbeat can flip a pool between READY and NOT_READY.
  useLive({ types: "worker" }, (message) => {
    if (message.type === "worker" || message.type === "resync") setRefresh((r) => r + 1);
  });
  return (
    <>
      <h1>Work pools</h1>
      <ErrorAlert error={pools.error} />
      {!pools.data && !pools.error && <Loading what="work pools" />}
      {pools.data && pools.data.items.length === 0 && (
        <p className="muted">
          No work pools. Create one with <code>baton work-pool create NAME --type process</code>.
        </p>
      )}
      {pools.data && pools.data.items.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Work pools">
            <thead>
              <tr>
                <th scope="col">Pool</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Queues</th>
                <th scope="col">Workers (last heartbeat)</th>
              </tr>
            </thead>
            <tbody>
              {pools.data.items.map((pool) => (
                <PoolRow key={pool.name} pool={pool} refresh={refresh} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function PoolRow({ pool, refresh }: { pool: WorkPool; refresh: number }) {
  const name = enc(pool.name);
  const details = useApi(`${pool.name}:${refresh}`, () =>
    Promise.all([api.get<{ items: WorkQueue[] }>(`/work_pools/${name}/queues`), api.get<{ items: Worker[] }>(`/work_pools/${name}/workers`)]),
  );
  const [queues, workers] = details.data ?? [undefined, undefined];
  return (
    <tr>
      <td>
        <Link to={`/work-pools/${name}`}>{pool.name}</Link>
      </td>
      <td>{pool.type}</td>
      <td>
        <StatusBadge status={pool.status} />
      </td>
      <td>{queues ? queues.items.map((q) => q.name + (q.paused ? " (paused)" : "")).join(", ") : ""}</td>
      <td>
        {workers && workers.items.length === 0 && <span className="muted">no workers</span>}
        {workers?.items.map((w) => (
          <div key={w.id}>
            <StatusBadge status={w.status} /> {w.name} <Time iso={w.last_heartbeat_time} copy={false} />
          </div>
        ))}
      </td>
    </tr>
  );
}
