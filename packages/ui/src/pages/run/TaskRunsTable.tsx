import { useState } from "react";
import type { TaskRun } from "../../api/types";
import { Link } from "../../router/router";
import { Time } from "../../components/Copy";
import { StateBadge } from "../../components/StateBadge";
import { formatDuration } from "../../lib/time";

const PAGE = 50;

/** Which task runs fed this one (its task_inputs naming another task run), by name. */
function upstream(task: TaskRun, names: Map<string, string>): string[] {
  const ids = Object.values(task.task_inputs).flatMap((inputs) => inputs.filter((i) => i.input_type === "task_run").map((i) => i.id));
  return [...new Set(ids)].map((id) => names.get(id) ?? id.slice(0, 8));
}

/**
 * Every task run of a run as a table, 50 to a page, filtered by name and state: the text
 * alternative to the Gantt chart and the task graph (its "Inputs from" column is the graph's
 * edges), and the way to any one of thousands of task runs.
 */
export function TaskRunsTable({ tasks, now }: { tasks: TaskRun[]; now: number }) {
  const [page, setPage] = useState(0);
  const [search, setSearch] = useState("");
  const [state, setState] = useState("");
  const names = new Map(tasks.map((t) => [t.id, t.name]));
  const needle = search.trim().toLowerCase();
  const shown = tasks.filter((t) => (!needle || t.name.toLowerCase().includes(needle)) && (!state || t.state_type === state));
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const current = Math.min(page, pages - 1);
  const rows = shown.slice(current * PAGE, current * PAGE + PAGE);
  const types = [...new Set(tasks.map((t) => t.state_type))].sort();
  if (tasks.length === 0) return null;
  return (
    <div className="task-runs-table">
      <div className="toolbar">
        <div className="field">
          <label htmlFor="task-search">Find a task run</label>
          <input id="task-search" type="search" value={search} onChange={(e) => (setSearch(e.target.value), setPage(0))} />
        </div>
        <div className="field">
          <label htmlFor="task-state">State</label>
          <select id="task-state" value={state} onChange={(e) => (setState(e.target.value), setPage(0))}>
            <option value="">All states</option>
            {types.map((t) => (
              <option key={t} value={t}>
                {t.charAt(0) + t.slice(1).toLowerCase()} ({tasks.filter((x) => x.state_type === t).length})
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="table-wrap">
        <table aria-label="Task runs">
          <thead>
            <tr>
              <th scope="col">Task run</th>
              <th scope="col">State</th>
              <th scope="col">Start</th>
              <th scope="col">Duration</th>
              <th scope="col">Attempts</th>
              <th scope="col">Inputs from</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.id}>
                <td>
                  <Link to={`/task-runs/${t.id}`}>{t.name}</Link>
                </td>
                <td>
                  <StateBadge type={t.state_type} name={t.state_name} />
                </td>
                <td>
                  <Time iso={t.start_time} copy={false} />
                </td>
                <td className="num">{t.start_time ? formatDuration((t.end_time ? Date.parse(t.end_time) : now) - Date.parse(t.start_time)) : "–"}</td>
                <td className="num">{t.run_count}</td>
                <td>{upstream(t, names).join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="pager" role="group" aria-label="Task run pages">
        <button type="button" className="secondary small" disabled={current === 0} onClick={() => setPage(current - 1)}>
          Previous
        </button>
        <span className="muted" aria-live="polite">
          {shown.length === 0 ? "No task run matches." : `${current * PAGE + 1}–${current * PAGE + rows.length} of ${shown.length}${shown.length < tasks.length ? ` (${tasks.length} in all)` : ""}`}
        </span>
        <button type="button" className="secondary small" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
          Next
        </button>
      </div>
    </div>
  );
}
