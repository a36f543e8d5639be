import { useEffect, useState } from "react";
import { call } from "../api/client";
import { useLiveRefresh } from "../api/live";
import type { Deployment } from "../api/types";
import { Link, navigate, useLocation } from "../router/router";
import { LastRunBadges, NextRunTime, fetchSummaries } from "../components/DeploymentRuns";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { describeSchedule } from "../lib/schedules";
import { useApi } from "../lib/use-api";

export function DeploymentsPage() {
  const { query } = useLocation();
  const cursor = query.get("cursor") ?? "";
  const list = useApi(cursor, () => call("listDeployments", { query: { limit: 100, cursor } }));
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
  // Search by name, flow or tag, and a pool, over the page shown; kept in the URL like the runs filters.
  const search = query.get("q") ?? "";
  const pool = query.get("pool") ?? "";
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(query);
    if (value) next.set(key, value);
    else next.delete(key);
    const text = next.toString();
    navigate(`/deployments${text ? `?${text}` : ""}`, { replace: true });
  };
  const needle = search.trim().toLowerCase();
  const pools = [...new Set((list.data?.items ?? []).map((d) => d.work_pool_name).filter((p): p is string => Boolean(p)))].sort();
  const shown = (list.data?.items ?? []).filter(
    (d) => (!pool || d.work_pool_name === pool) && (!needle || `${d.flow_name}/${d.name}`.toLowerCase().includes(needle) || d.tags.some((t) => t.toLowerCase().includes(needle))),
  );

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
        <div className="toolbar">
          <div className="field grow">
            <label htmlFor="deployment-search">Search by name, flow or tag</label>
            <input id="deployment-search" type="search" value={search} onChange={(e) => setFilter("q", e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="deployment-pool">Work pool</label>
            <select id="deployment-pool" value={pool} onChange={(e) => setFilter("pool", e.target.value)}>
              <option value="">Any</option>
              {pools.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
      {list.data && list.data.items.length > 0 && shown.length === 0 && <p className="muted">No deployment on this page matches.</p>}
      {list.data && shown.length > 0 && (
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
              {shown.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/deployments/${d.id}`}>
                      {d.flow_name}/{d.name}
                    </Link>
                    {d.paused && <span className="tag warn">paused</span>}
                    {d.tags.length > 0 && (
                      <div>
                        {d.tags.map((t) => (
                          <span key={t} className="tag">
                            {t}
                          </span>
                        ))}
                      </div>
                    )}
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
