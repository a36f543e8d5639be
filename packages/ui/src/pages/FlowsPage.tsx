import { useEffect, useState } from "react";
import { call, enc } from "../api/client";
import { usePageRefresh } from "../api/live";
import type { Deployment } from "../api/types";
import { Link } from "../router/router";
import { Time } from "../components/Copy";
import { DataTable } from "../components/DataTable";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { StateBadge } from "../components/StateBadge";
import { useApi } from "../lib/use-api";

const PAGE = 50;
const LAST_RUNS = 5;

/**
 * Every flow with its deployments and its last runs. Flows come a page at a time; each row asks
 * for its own last runs (a short index read), the deployments come in one list for the page.
 */
export function FlowsPage() {
  const [cursor, setCursor] = useState<string>();
  const flows = useApi(`flows:${cursor ?? ""}`, () => call("listFlows", { query: { limit: PAGE, ...(cursor ? { cursor } : {}) } }));
  const deployments = useApi("deployments", () => call("listDeployments", { query: { limit: 500 } }));
  // Live: a run's state change refetches that flow's last runs; a flow not on the page (a new
  // one, or a resync) refetches the list too.
  const [ticks, setTicks] = useState<Record<string, number>>({});
  const { reload: reloadFlows } = flows;
  usePageRefresh((messages) => {
    const names = new Set<string>();
    let all = false;
    for (const m of messages) {
      if (m.type === "flow_run") names.add(m.data.flow_name);
      else all = true;
    }
    const shown = new Set(flows.data?.items.map((f) => f.name) ?? []);
    if (all || [...names].some((n) => !shown.has(n))) reloadFlows();
    if (all) deployments.reload();
    setTicks((t) => {
      const next = { ...t };
      for (const n of all ? shown : names) next[n] = (next[n] ?? 0) + 1;
      return next;
    });
  }, 3000);
  const byFlow = new Map<string, Deployment[]>();
  for (const d of deployments.data?.items ?? []) byFlow.set(d.flow_name, [...(byFlow.get(d.flow_name) ?? []), d]);

  return (
    <>
      <h1>Flows</h1>
      <ErrorAlert error={flows.error ?? deployments.error} />
      {!flows.data && !flows.error && <Loading what="flows" />}
      {flows.data && (
        <DataTable
          label="Flows"
          items={flows.data.items}
          itemKey={(f) => f.id}
          empty="No flows yet: a flow is registered the first time it runs or is deployed."
          columns={[{ header: "Flow" }, { header: "Deployments" }, { header: "Last runs" }, { header: "Created" }]}
          row={(f) => (
            <tr key={f.id}>
              <td>
                <Link to={`/runs?flow=${enc(f.name)}`}>{f.name}</Link>{" "}
                {f.tags.map((tag) => (
                  <span key={tag} className="tag">
                    {tag}
                  </span>
                ))}
              </td>
              <td>
                {deployments.data ? (
                  (byFlow.get(f.name) ?? []).length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    <ul className="plain">
                      {byFlow.get(f.name)!.map((d) => (
                        <li key={d.id}>
                          <Link to={`/deployments/${d.id}`}>{d.name}</Link>
                          {d.paused && <> <span className="tag warn">paused</span></>}
                        </li>
                      ))}
                    </ul>
                  )
                ) : null}
              </td>
              <td>
                <LastRuns flow={f.name} tick={ticks[f.name] ?? 0} />
              </td>
              <td>
                <Time iso={f.created} copy={false} />
              </td>
            </tr>
          )}
        />
      )}
      <div className="pager">
        {cursor && (
          <button type="button" className="secondary" onClick={() => setCursor(undefined)}>
            First page
          </button>
        )}
        {flows.data?.next_cursor && (
          <button type="button" className="secondary" onClick={() => setCursor(flows.data?.next_cursor ?? undefined)}>
            Next page
          </button>
        )}
      </div>
    </>
  );
}

/** A flow's last runs that ran or are due (not the ones a schedule made for later), newest first. */
function LastRuns({ flow, tick }: { flow: string; tick: number }) {
  const runs = useApi(`runs:${flow}`, () => call("listFlowRuns", { query: { flow_name: flow, limit: LAST_RUNS, upcoming: "exclude" } }));
  const { reload } = runs;
  useEffect(() => {
    if (tick > 0) reload();
  }, [tick, reload]);
  if (runs.error) return <span className="muted">could not load</span>;
  if (!runs.data) return null;
  if (runs.data.items.length === 0) return <span className="muted">no runs</span>;
  return (
    <span className="last-runs">
      {runs.data.items.map((r) => (
        <Link key={r.id} to={`/runs/${r.id}`} title={r.name}>
          <span className="sr-only">{r.name}: </span>
          <StateBadge type={r.state_type} name={r.state_name} />
        </Link>
      ))}
    </span>
  );
}
