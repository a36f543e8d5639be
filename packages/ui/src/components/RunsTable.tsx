import type { FlowRun } from "../api/types";
import { Link } from "../router/router";
import { columnDirection, nextColumnOrder, type SortColumn } from "../lib/run-filters";
import { formatDuration } from "../lib/time";
import { Time } from "./Copy";
import { StateBadge } from "./StateBadge";

export function runDuration(run: FlowRun, now = Date.now()): string {
  if (!run.start_time) return "–";
  const end = run.end_time ? Date.parse(run.end_time) : now;
  return formatDuration(end - Date.parse(run.start_time));
}

export interface RunSelection {
  selected: ReadonlySet<string>;
  toggle: (id: string, on: boolean) => void;
}

/** The list's server order (run-filters' RUN_ORDERS value) and how to ask for another. */
export interface RunOrder {
  sort: string;
  onSort: (sort: string) => void;
}

/**
 * Flow runs as a table; `compact` drops the columns a deployment page already says. With
 * `selection`, each row has a checkbox (for bulk actions); with `order`, the Start and Duration
 * headings ask the server for the list in that order (every page, not just the rows shown).
 */
export function RunsTable({ runs, label, compact = false, selection, order }: { runs: FlowRun[]; label: string; compact?: boolean; selection?: RunSelection; order?: RunOrder }) {
  if (runs.length === 0) return <p className="muted">No flow runs.</p>;
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">State</th>
            {!compact && <th scope="col">Flow / deployment</th>}
            {!compact && <th scope="col">Work pool</th>}
            <SortableHeading column="start" label="Start" order={order} />
            <SortableHeading column="duration" label="Duration" order={order} />
            <th scope="col">Tags</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <td>
                {selection && (
                  <input
                    type="checkbox"
                    className="select-run"
                    aria-label={`Select ${run.name}`}
                    checked={selection.selected.has(run.id)}
                    onChange={(e) => selection.toggle(run.id, e.target.checked)}
                  />
                )}
                <Link to={`/runs/${run.id}`}>{run.name}</Link>
              </td>
              <td>
                <StateBadge type={run.state_type} name={run.state_name} />
              </td>
              {!compact && (
                <td>
                  {run.flow_name}
                  {run.deployment_id && run.deployment_name ? (
                    <>
                      {" / "}
                      <Link to={`/deployments/${run.deployment_id}`}>{run.deployment_name}</Link>
                    </>
                  ) : null}
                </td>
              )}
              {!compact && <td>{run.work_pool_name ? <Link to={`/work-pools/${encodeURIComponent(run.work_pool_name)}`}>{run.work_pool_name}</Link> : <span className="muted">–</span>}</td>}
              <td>
                <Time iso={run.start_time ?? run.expected_start_time} copy={false} />
              </td>
              <td className="num">{runDuration(run)}</td>
              <td>
                {run.tags.map((tag) => (
                  <span key={tag} className="tag">
                    {tag}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const TITLES: Record<SortColumn, Record<string, string>> = {
  start: { "started-latest": "List the runs that started latest first", "started-earliest": "List the runs that started earliest first", "": "Back to newest first" },
  duration: { longest: "List the longest runs first", shortest: "List the shortest runs first", "": "Back to newest first" },
};

function SortableHeading({ column, label, order }: { column: SortColumn; label: string; order: RunOrder | undefined }) {
  if (!order) return <th scope="col">{label}</th>;
  const direction = columnDirection(column, order.sort);
  const next = nextColumnOrder(column, order.sort);
  return (
    <th scope="col" aria-sort={direction}>
      <button type="button" className="sort" data-order={direction ?? "none"} onClick={() => order.onSort(next)} title={`${TITLES[column][next]}; runs not started${column === "duration" ? " or not finished" : ""} come last`}>
        {label}
      </button>
    </th>
  );
}
