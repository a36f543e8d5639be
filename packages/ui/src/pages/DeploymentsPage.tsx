import { useEffect, useState } from "react";
import { call } from "../api/client";
import { useLiveRefresh } from "../api/live";
import type { Deployment } from "../api/types";
import { Link, navigate, useLocation } from "../router/router";
import { LastRunBadges, NextRunTime, fetchSummaries } from "../components/DeploymentRuns";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { describeSchedule } from "../lib/schedules";
import { useApi } from "../lib/use-api";
import { DeploymentRowActions } from "./deployment/RowActions";

export function DeploymentsPage() {
  const { query } = useLocation();
  const cursor = query.get("cursor") ?? "";
  // Pool and tag are asked of the server, so a match on a later page is found; the text search
  // (part of a name, flow or tag) narrows the page shown.
  const pool = query.get("pool") ?? "";
  const tag = query.get("tag") ?? "";
  const apiQuery = { limit: 100, ...(cursor ? { cursor } : {}), ...(pool ? { work_pool_name: pool } : {}), ...(tag ? { tag } : {}) };
  const list = useApi(JSON.stringify(apiQuery), () => call("listDeployments", { query: apiQuery }));
  // The pool dropdown's list loads when it is reached for, not with every page.
  const [wantPools, setWantPools] = useState(false);
  const pools = useApi(wantPools ? "pools" : null, () => call("listWorkPools", { query: { limit: 200 } }));
  const [refresh, setRefresh] = useState(0);
  useLiveRefresh({ types: "flow_run" }, () => setRefresh((r) => r + 1), 1500);
  // Every row's next run and last runs in one request, not two per row.
  const ids = list.data?.items.map((d) => d.id) ?? [];
  const summaries = useApi(ids.length > 0 ? ids.join(",") : null, () => fetchSummaries(ids));
  const { reload } = summaries;
  useEffect(() => {
    if (refresh > 0) reload();
  }, [refresh, reload]);
  const changed = () => {
    list.reload();
    reload();
  };
  const summaryOf = (id: string) => summaries.data?.items.find((s) => s.deployment_id === id);
  // Kept in the URL like the runs filters; a new filter starts again from the first page.
  const search = query.get("q") ?? "";
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(query);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key === "pool" || key === "tag") next.delete("cursor");
    const text = next.toString();
    navigate(`/deployments${text ? `?${text}` : ""}`, { replace: true });
  };
  const needle = search.trim().toLowerCase();
  const poolNames = [...new Set([...(pools.data?.items ?? []).map((p) => p.name), ...(pool ? [pool] : [])])].sort();
  const shown = (list.data?.items ?? []).filter((d) => !needle || `${d.flow_name}/${d.name}`.toLowerCase().includes(needle) || d.tags.some((t) => t.toLowerCase().includes(needle)));
  const filtered = Boolean(pool || tag);

  return (
    <>
      <h1>Deployments</h1>
      <ErrorAlert error={list.error ?? summaries.error} />
      {!list.data && !list.error && <Loading what="deployments" />}
      {list.data && list.data.items.length === 0 && filtered && <p className="muted">No deployment matches this pool and tag.</p>}
      {list.data && list.data.items.length === 0 && !filtered && (
        <p className="muted">
          No deployments yet. Deploy a flow with <code>baton deploy</code>.
        </p>
      )}
      {(filtered || (list.data && list.data.items.length > 0)) && (
        <div className="toolbar">
          <div className="field grow">
            <label htmlFor="deployment-search">Search by name, flow or tag</label>
            <input id="deployment-search" type="search" value={search} onChange={(e) => setFilter("q", e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="deployment-pool">Work pool</label>
            <select id="deployment-pool" value={pool} onFocus={() => setWantPools(true)} onPointerDown={() => setWantPools(true)} onChange={(e) => setFilter("pool", e.target.value)}>
              <option value="">Any</option>
              {poolNames.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="deployment-tag">Tag (exact)</label>
            {/* Asked of the server when typed (Enter or leaving the field), not at each key. */}
            <input
              id="deployment-tag"
              key={tag}
              defaultValue={tag}
              onBlur={(e) => setFilter("tag", e.target.value.trim())}
              onKeyDown={(e) => {
                if (e.key === "Enter") setFilter("tag", e.currentTarget.value.trim());
              }}
            />
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
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
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
                  <td>
                    <DeploymentRowActions deployment={d} onChanged={changed} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data?.next_cursor && (
        <div className="pager">
          <button type="button" className="secondary" onClick={() => setFilter("cursor", list.data?.next_cursor ?? "")}>
            Next page
          </button>
        </div>
      )}
    </>
  );
}
