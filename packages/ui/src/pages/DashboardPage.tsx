import { useState } from "react";
import { call } from "../api/client";
import { useLiveRefresh } from "../api/live";
import type { FlowRun } from "../api/types";
import { Link } from "../router/router";
import { Time } from "../components/Copy";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { StatusBadge } from "../components/PoolStatus";
import { RunsChart } from "../components/RunsChart";
import { RunsTable } from "../components/RunsTable";
import { StateBadge } from "../components/StateBadge";
import { useApi } from "../lib/use-api";

const DAY = 86_400_000;

/** The first error line of a failed run: the error's message, else the state's message. */
function errorLine(run: FlowRun): string {
  const error = run.state.data?.error;
  const text = error ? `${error.name}: ${error.message}` : (run.state.message ?? "");
  return text.split("\n")[0] ?? "";
}

export function DashboardPage() {
  const [tick, setTick] = useState(0);
  // The window moves with each refresh: the last 24 hours, in hour buckets.
  const since = new Date(Math.floor((Date.now() - DAY) / 3_600_000) * 3_600_000 + 3_600_000).toISOString();
  const stats = useApi(`stats:${tick}`, () => call("flowRunStats", { query: { since, bucket_seconds: 3600 } }));
  const failures = useApi(`failed:${tick}`, () => call("listFlowRuns", { query: { state: "FAILED,CRASHED", expected_start_after: since, limit: 10 } }));
  const late = useApi(`late:${tick}`, () => call("listFlowRuns", { query: { state: "Late", limit: 10 } }));
  const pools = useApi(`pools:${tick}`, () => call("listWorkPools", { query: { limit: 500 } }));

  useLiveRefresh({ types: "flow_run,worker" }, () => setTick((t) => t + 1), 2000);

  const idlePools = pools.data?.items.filter((p) => p.status === "NOT_READY") ?? [];
  return (
    <>
      <h1>Dashboard</h1>
      <section>
        <h2>Runs in the last 24 hours</h2>
        <ErrorAlert error={stats.error} />
        {stats.data ? (
          <RunsChart buckets={stats.data.buckets} order={stats.data.state_types} totals={stats.data.totals} bucketSeconds={stats.data.bucket_seconds} />
        ) : (
          !stats.error && <Loading what="the chart" />
        )}
      </section>

      <div className="grid-2">
        <section>
          <h2>Failures and crashes</h2>
          <ErrorAlert error={failures.error} />
          {failures.data && failures.data.items.length === 0 && <p className="muted">None in the last 24 hours.</p>}
          <ul className="plain failures">
            {failures.data?.items.map((run) => (
              <li key={run.id}>
                <StateBadge type={run.state_type} name={run.state_name} /> <Link to={`/runs/${run.id}`}>{run.name}</Link>{" "}
                <span className="muted">
                  {run.flow_name} · <Time iso={run.end_time ?? run.updated} copy={false} />
                </span>
                <div className="error-line">{errorLine(run)}</div>
              </li>
            ))}
          </ul>
          {failures.data && failures.data.items.length > 0 && <Link to={`/runs?state=FAILED,CRASHED`}>All failed and crashed runs</Link>}
        </section>

        <section>
          <h2>Work pools with no online worker</h2>
          <ErrorAlert error={pools.error} />
          {pools.data && idlePools.length === 0 && <p className="muted">Every pool has a worker online.</p>}
          <ul className="plain">
            {idlePools.map((p) => (
              <li key={p.name}>
                <StatusBadge status={p.status} /> <Link to={`/work-pools/${encodeURIComponent(p.name)}`}>{p.name}</Link> <span className="muted">{p.type}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>

      <section>
        <h2>Late runs</h2>
        <ErrorAlert error={late.error} />
        {late.data && <RunsTable runs={late.data.items} label="Late runs" />}
      </section>
    </>
  );
}
