import { useEffect, useState } from "react";
import { api } from "../api/client";
import { useLiveRefresh } from "../api/live";
import type { Deployment, Page } from "../api/types";
import { Link, navigate, useLocation } from "../app/router";
import { LastRunBadges, NextRunTime, fetchSummaries } from "../components/DeploymentRuns";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { describeSchedule } from "../lib/schedules";
import { useApi } from "../lib/use-api";

export function DeploymentsPage() {
  const { query } = useLocation();
  const cursor = query.get("cursor") ?? "";
  const list = useApi(cursor, () => api.get<Page<Deployment>>("/deployments", { limit: 100, cursor }));
  const [refresh, setRefresh] = useState(0);
  useLiveRefresh({ types: "flow_run" }, () => setRefresh((r) => r + 1), 1500);
  // Every row's next run and last runs in one request, not two per row.
  const ids = list.data?.items.map((d) => d.id) ?? [];
  const summaries = useApi(ids.length > 0 ? ids.join(",") : null, () => fetchSummaries(ids));
  const { reload } = summaries;
  useEffect(() => {
    if (refresh > 0) reload();
  }, [refresh, reload]);
  const summaryOf = (id: string) => summaries.data?.items.find((s) => s.deployment_id === id);

  return (
    <>
      <h1>Deployments</h1>
      <ErrorAlert error={list.error ?? summaries.error} />
      {!list.data && !list.error && <Loading what="deployments" />}
      {list.data && list.data.items.length === 0 && (
        <p className="muted">
          No deployments yet. Deploy a flow with <code>baton deploy</code>.
        </p>
      )}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Deployments">
            <thead>
              <tr>
                <th scope="col">Deployment</th>
                <th scope="col">Work pool</th>
                <th scope="col">Schedules</th>
                <th scope="col">Next run</th>
                <th scope="col">Last runs</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/deployments/${d.id}`}>
                      {d.flow_name}/{d.name}
                    </Link>
                    {d.paused && <span className="tag warn">paused</span>}
                  </td>
                  <td>{d.work_pool_name ? <Link to={`/work-pools/${encodeURIComponent(d.work_pool_name)}`}>{d.work_pool_name}</Link> : <span className="muted">–</span>}</td>
                  <td>{d.schedules.length === 0 ? <span className="muted">none</span> : d.schedules.map((s) => <div key={s.id}>{describeSchedule(s.schedule)}</div>)}</td>
                  <td>
                    <NextRunTime run={summaryOf(d.id)?.next_scheduled_run} />
                  </td>
                  <td>
                    <LastRunBadges runs={summaryOf(d.id)?.last_runs} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data?.next_cursor && (
        <div className="pager">
          <button type="button" className="secondary" onClick={() => navigate(`/deployments?cursor=${encodeURIComponent(list.data?.next_cursor ?? "")}`)}>
            Next page
          </button>
        </div>
      )}
    </>
  );
}
