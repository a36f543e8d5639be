import { useState } from "react";
import { call, enc } from "../api/client";
import { useLive } from "../api/live";
import type { WorkPool } from "../api/types";
import { Link } from "../router/router";
import { Time } from "../components/Copy";
import { DataTable } from "../components/DataTable";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { StatusBadge } from "../components/PoolStatus";
import { CAPACITY_PAGES, SectionTabs } from "../components/SectionTabs";
import { useApi } from "../lib/use-api";
import { useSession } from "../session/session";
import { CreatePoolForm } from "./pool/CreatePoolForm";

export function WorkPoolsPage() {
  const { can } = useSession();
  const [creating, setCreating] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const pools = useApi(`pools:${refresh}`, () => call("listWorkPools", { query: { limit: 500 } }));
  // A heartbeat can flip a pool between READY and NOT_READY.
  useLive({ types: "worker" }, (message) => {
    if (message.type === "worker" || message.type === "resync") setRefresh((r) => r + 1);
  });
  return (
    <>
      <div className="page-head">
        <h1>Work pools</h1>
        {can("admin") && !creating && (
          <button type="button" className="secondary" onClick={() => setCreating(true)}>
            New work pool
          </button>
        )}
      </div>
      <SectionTabs label="Work pools and concurrency limits" pages={CAPACITY_PAGES} />
      {creating && <CreatePoolForm />}
      <ErrorAlert error={pools.error} />
      {!pools.data && !pools.error && <Loading what="work pools" />}
      {pools.data && (
        <DataTable
          label="Work pools"
          items={pools.data.items}
          itemKey={(pool) => pool.name}
          empty={
            <>
              No work pools. Create one with <code>baton work-pool create NAME --type process</code>.
            </>
          }
          columns={[{ header: "Pool" }, { header: "Type" }, { header: "Status" }, { header: "Queues" }, { header: "Workers (last heartbeat)" }]}
          row={(pool) => <PoolRow key={pool.name} pool={pool} refresh={refresh} />}
        />
      )}
    </>
  );
}

function PoolRow({ pool, refresh }: { pool: WorkPool; refresh: number }) {
  const name = enc(pool.name);
  const details = useApi(`${pool.name}:${refresh}`, () =>
    Promise.all([call("listWorkQueues", { params: { name: pool.name } }), call("listWorkers", { params: { name: pool.name } })]),
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
