import { useState, type FormEvent } from "react";
import { api } from "../api/client";
import { useLiveRefresh } from "../api/live";
import type { Deployment, FlowRun, Page, WorkPool } from "../api/types";
import { navigate, useLocation } from "../app/router";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { RunsTable } from "../components/RunsTable";
import { filtersFromQuery, filtersToApiQuery, filtersToSearch, hasFilters, type RunFilters } from "../lib/run-filters";
import { isoToLocalInput, localInputToIso } from "../lib/time";
import { useApi } from "../lib/use-api";

const STATES = ["SCHEDULED", "Late", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CRASHED", "CANCELLING", "CANCELLED", "PAUSED"];

export function RunsPage() {
  const { query, href } = useLocation();
  const filters = filtersFromQuery(query);
  const apiQuery = filtersToApiQuery(filters);
  const runs = useApi(JSON.stringify(apiQuery), () => api.get<Page<FlowRun>>("/flow_runs", apiQuery));
  const choices = useApi("choices", () =>
    Promise.all([api.get<Page<Deployment>>("/deployments", { limit: 500 }), api.get<Page<WorkPool>>("/work_pools", { limit: 500 })]),
  );

  // New runs and state changes show up on the first page; later pages stay put while read.
  useLiveRefresh({ types: "flow_run" }, runs.reload, 700, !filters.cursor);

  const set = (next: Partial<RunFilters>) => navigate(`/runs${filtersToSearch({ ...filters, cursor: "", ...next })}`);

  return (
    <>
      <h1>Flow runs</h1>
      <FilterForm key={href} filters={filters} deployments={choices.data?.[0].items ?? []} pools={choices.data?.[1].items ?? []} onApply={set} />
      <ErrorAlert error={runs.error} />
      {runs.data ? <RunsTable runs={runs.data.items} label="Flow runs" /> : !runs.error && <Loading what="flow runs" />}
      <div className="pager">
        {filters.cursor && (
          <button type="button" className="secondary" onClick={() => set({})}>
            First page
          </button>
        )}
        {runs.data?.next_cursor && (
          <button type="button" className="secondary" onClick={() => set({ cursor: runs.data?.next_cursor ?? "" })}>
            Next page
          </button>
        )}
      </div>
    </>
  );
}

function FilterForm(props: { filters: RunFilters; deployments: Deployment[]; pools: WorkPool[]; onApply: (f: Partial<RunFilters>) => void }) {
  const { filters, deployments, pools, onApply } = props;
  const [draft, setDraft] = useState({ ...filters, since: isoToLocalInput(filters.since), until: isoToLocalInput(filters.until) });
  const field = (key: keyof RunFilters) => ({
    id: `filter-${key}`,
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ ...draft, since: localInputToIso(draft.since) ?? "", until: localInputToIso(draft.until) ?? "" });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Filters">
      <div className="field">
        <label htmlFor="filter-state">State</label>
        <select {...field("state")}>
          <option value="">Any</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
          <option value="FAILED,CRASHED">FAILED or CRASHED</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-flow">Flow</label>
        <input {...field("flow")} placeholder="flow name" />
      </div>
      <div className="field">
        <label htmlFor="filter-deployment">Deployment</label>
        <select {...field("deployment")}>
          <option value="">Any</option>
          {deployments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.flow_name}/{d.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-tag">Tag</label>
        <input {...field("tag")} />
      </div>
      <div className="field">
        <label htmlFor="filter-pool">Work pool</label>
        <select {...field("pool")}>
          <option value="">Any</option>
          {pools.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-since">From</label>
        <input type="datetime-local" {...field("since")} />
      </div>
      <div className="field">
        <label htmlFor="filter-until">To</label>
        <input type="datetime-local" {...field("until")} />
      </div>
      <div className="field actions">
        <button type="submit">Apply filters</button>
        {hasFilters(filters) && (
          <button type="button" className="secondary" onClick={() => onApply({ state: "", flow: "", deployment: "", tag: "", pool: "", since: "", until: "" })}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
