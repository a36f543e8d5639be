import { useState, type FormEvent } from "react";
import { call } from "../api/client";
import { useLiveRefresh } from "../api/live";
import type { Deployment, WorkPool } from "../api/types";
import { navigate, useLocation } from "../router/router";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { BulkRunActions } from "../components/BulkRunActions";
import { RunsTable } from "../components/RunsTable";
import { useSession } from "../session/session";
import { countQueryOf, describeTotal, filtersFromQuery, filtersToApiQuery, filtersToSearch, hasFilters, RUN_ORDERS, statesOf, toggleState, type RunFilters } from "../lib/run-filters";
import { useZoneChange } from "../lib/display-zone";
import { isoToLocalInput, localInputToIso, rezoneLocalInput } from "../lib/time";
import { useApi } from "../lib/use-api";

const onPhone = () => window.matchMedia("(max-width: 760px)").matches;
const STATES = ["SCHEDULED", "Late", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CRASHED", "CANCELLING", "CANCELLED", "PAUSED"];

export function RunsPage() {
  const { query, href } = useLocation();
  const filters = filtersFromQuery(query);
  const apiQuery = filtersToApiQuery(filters);
  const runs = useApi(JSON.stringify(apiQuery), () => call("listFlowRuns", { query: apiQuery }));
  const countQuery = countQueryOf(apiQuery);
  // Its own request, so the table never waits on the count; capped by the server (10,000+).
  const total = useApi(JSON.stringify(countQuery), () => call("countFlowRuns", { query: countQuery }));
  // The deployment and pool lists fill their dropdowns only once someone reaches for them (or a
  // link already filters by one): the runs table's own request goes first, alone.
  const [wantChoices, setWantChoices] = useState(Boolean(filters.deployment || filters.pool));
  const choices = useApi(wantChoices ? "choices" : null, () =>
    Promise.all([call("listDeployments", { query: { limit: 500 } }), call("listWorkPools", { query: { limit: 500 } })]),
  );

  // New runs and state changes show up on the first page; later pages stay put while read.
  useLiveRefresh(
    { types: "flow_run" },
    () => {
      runs.reload();
      total.reload();
    },
    700,
    !filters.cursor,
  );

  const { can } = useSession();
  // Ticked runs, by id; only those still on the page count (a reload can drop some).
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const pageRuns = runs.data?.items ?? [];
  const selectedRuns = pageRuns.filter((r) => ticked.has(r.id));
  const selection = can("run")
    ? {
        selected: ticked,
        toggle: (id: string, on: boolean) =>
          setTicked((old) => {
            const next = new Set(old);
            if (on) next.add(id);
            else next.delete(id);
            return next;
          }),
      }
    : undefined;

  const set = (next: Partial<RunFilters>) => navigate(`/runs${filtersToSearch({ ...filters, cursor: "", ...next })}`);

  return (
    <>
      <h1>Flow runs</h1>
      {/* On a phone the filters start folded (the runs are what one came for), open when some are set. */}
      <details className="filters-box" open={!onPhone() || hasFilters(filters)}>
        <summary>Filters{hasFilters(filters) ? " (on)" : ""}</summary>
        <FilterForm key={href} filters={filters} deployments={choices.data?.[0].items} pools={choices.data?.[1].items} onNeedChoices={() => setWantChoices(true)} onApply={set} />
      </details>
      <ErrorAlert error={runs.error} />
      {total.data && (
        <p className="muted runs-total" aria-live="polite">
          {describeTotal(total.data)}
        </p>
      )}
      {selection && pageRuns.length > 0 && (
        <BulkRunActions
          all={pageRuns}
          selected={selectedRuns}
          onSelect={(ids) => setTicked(new Set(ids))}
          onDone={() => {
            setTicked(new Set());
            runs.reload();
            total.reload();
          }}
        />
      )}
      {runs.data ? <RunsTable runs={runs.data.items} label="Flow runs" selection={selection} order={{ sort: filters.sort, onSort: (sort) => set({ sort }) }} /> : !runs.error && <Loading what="flow runs" />}
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

interface FilterFormProps {
  filters: RunFilters;
  /** Undefined until asked for (onNeedChoices): the dropdowns show only the current value until then. */
  deployments: Deployment[] | undefined;
  pools: WorkPool[] | undefined;
  onNeedChoices: () => void;
  onApply: (f: Partial<RunFilters>) => void;
}

function FilterForm(props: FilterFormProps) {
  const { filters, deployments, pools, onNeedChoices, onApply } = props;
  const loadChoices = { onFocus: onNeedChoices, onPointerDown: onNeedChoices };
  // Flow names suggested as one types (a part of a name is not a filter: the API matches it whole).
  const [wantFlows, setWantFlows] = useState(false);
  const flows = useApi(wantFlows ? "flows" : null, () => call("listFlows", { query: { limit: 500 } }));
  const [draft, setDraft] = useState({ ...filters, since: isoToLocalInput(filters.since), until: isoToLocalInput(filters.until) });
  // The typed times keep their instants across a zone switch, as every time shown does.
  useZoneChange((from, to) => setDraft((d) => ({ ...d, since: rezoneLocalInput(d.since, from, to), until: rezoneLocalInput(d.until, from, to) })));
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
      <fieldset className="field states">
        <legend>States</legend>
        {STATES.map((one) => (
          <label key={one} className="check-inline">
            <input type="checkbox" checked={statesOf(draft.state).includes(one)} onChange={(e) => setDraft({ ...draft, state: toggleState(draft.state, one, e.target.checked) })} />
            {one === "Late" ? "Late" : one.charAt(0) + one.slice(1).toLowerCase()}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="filter-flow">Flow</label>
        <input {...field("flow")} placeholder="flow name" list="flow-names" onFocus={() => setWantFlows(true)} />
        <datalist id="flow-names">
          {flows.data?.items.map((f) => <option key={f.id} value={f.name} />)}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor="filter-deployment">Deployment</label>
        <select {...field("deployment")} {...loadChoices}>
          <option value="">Any</option>
          {!deployments && draft.deployment && <option value={draft.deployment}>{draft.deployment}</option>}
          {!deployments && <option disabled>Loading deployments…</option>}
          {deployments?.map((d) => (
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
        <select {...field("pool")} {...loadChoices}>
          <option value="">Any</option>
          {!pools && draft.pool && <option value={draft.pool}>{draft.pool}</option>}
          {!pools && <option disabled>Loading pools…</option>}
          {pools?.map((p) => (
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
      <div className="field">
        <label htmlFor="filter-sort">Order</label>
        <select {...field("sort")}>
          {RUN_ORDERS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field check">
        <input
          id="filter-upcoming"
          type="checkbox"
          checked={draft.upcoming === "include"}
          onChange={(e) => setDraft({ ...draft, upcoming: e.target.checked ? "include" : "" })}
        />
        <div className="label-row">
          <label htmlFor="filter-upcoming">Show upcoming scheduled runs</label>
        </div>
      </div>
      <div className="field actions">
        <button type="submit">Apply filters</button>
        {hasFilters(filters) && (
          <button type="button" className="secondary" onClick={() => onApply({ state: "", flow: "", deployment: "", tag: "", pool: "", since: "", until: "", upcoming: "", sort: "" })}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
