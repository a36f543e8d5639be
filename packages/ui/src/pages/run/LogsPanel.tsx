import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";
import { call } from "../../api/client";
import type { Log, TaskRun } from "../../api/types";
import { Link } from "../../router/router";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LEVELS, filterLogs, levelName, logsAsText, mergeLogs, type LogLine } from "../../lib/logs";
import { formatLocal, formatUtc } from "../../lib/time";
import { useDisplayZone } from "../../lib/display-zone";

/** Lines drawn at once (the latest); "Show earlier lines" adds as many again. Thousands of lines drawn at once make the page slow. */
const SHOWN = 500;
const MAX_PAGES = 20;

/** Every line of a run (or of one of its task runs), oldest first, paging through the API's cursor. */
async function fetchAllLogs(flowRunId: string, taskRunId: string | undefined): Promise<{ lines: LogLine[]; truncated: boolean }> {
  let lines: LogLine[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await call("listLogs", { query: { flow_run_id: flowRunId, task_run_id: taskRunId, limit: 5000, cursor } });
    lines = mergeLogs(lines, result.items);
    if (!result.next_cursor) return { lines, truncated: false };
    cursor = result.next_cursor;
  }
  return { lines, truncated: true };
}

/** "" every line; FLOW_ONLY the flow run's own lines; else a task run's id. */
const FLOW_ONLY = "flow";

interface Props {
  flowRunId: string;
  runName: string;
  /** Set here: where the page sends lines from the live stream. */
  sink: RefObject<((line: LogLine) => void) | null>;
  /** Changes when the page wants a full refetch (the stream reconnected, a poll tick). */
  refreshKey: number;
  /** The run's task runs: each line names (and links) the one that wrote it, and the lines can be filtered by it. */
  tasks?: TaskRun[] | undefined;
  /** Only this task run's lines (the task run's page). */
  taskRunId?: string;
}

/** Logs with a level filter, search and download. */
export function LogsPanel({ flowRunId, runName, sink, refreshKey, tasks, taskRunId }: Props) {
  const zone = useDisplayZone();
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<Error>();
  const [loaded, setLoaded] = useState(false);
  const [minLevel, setMinLevel] = useState(0);
  const [search, setSearch] = useState("");
  const [task, setTask] = useState("");
  const [limit, setLimit] = useState(SHOWN);
  const [truncated, setTruncated] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    let live = true;
    fetchAllLogs(flowRunId, taskRunId).then(
      (all) => {
        if (!live) return;
        setLines((current) => mergeLogs(all.lines, current));
        setTruncated(all.truncated);
        setLoaded(true);
        setError(undefined);
      },
      (e: unknown) => live && setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => {
      live = false;
    };
  }, [flowRunId, taskRunId, refreshKey]);

  useEffect(() => {
    sink.current = (line) => setLines((current) => (taskRunId && line.task_run_id !== taskRunId ? current : mergeLogs(current, [line])));
    return () => {
      sink.current = null;
    };
  }, [sink]);

  const names = new Map((tasks ?? []).map((t) => [t.id, t.name]));
  const byTask = task === "" ? lines : lines.filter((l) => (task === FLOW_ONLY ? l.task_run_id === null : l.task_run_id === task));
  const shown = filterLogs(byTask, minLevel, search);
  const visible = shown.length > limit ? shown.slice(-limit) : shown;
  // The date only when the lines span more than one day; the time alone otherwise.
  const first = lines[0];
  const last = lines[lines.length - 1];
  const withDate = first !== undefined && last !== undefined && formatLocal(first.timestamp, zone).slice(0, 10) !== formatLocal(last.timestamp, zone).slice(0, 10);
  const taskOptions = [...new Set(lines.map((l) => l.task_run_id).filter((t): t is string => t !== null))].map((id) => ({ id, name: names.get(id) ?? id.slice(0, 8) }));

  // Follow the tail while the reader is at the bottom; stay put when they scrolled up.
  useLayoutEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [visible.length]);

  const download = () => {
    const blob = new Blob([logsAsText(shown)], { type: "text/plain" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `${runName}-logs.txt`;
    a.click();
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <div className="logs-panel">
      <div className="toolbar">
        <div className="field">
          <label htmlFor="log-level">Log level</label>
          <select id="log-level" value={minLevel} onChange={(e) => setMinLevel(Number(e.target.value))}>
            {LEVELS.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field grow">
          <label htmlFor="log-search">Search logs</label>
          <input id="log-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        {!taskRunId && taskOptions.length > 0 && (
          <div className="field">
            <label htmlFor="log-task">Task run</label>
            <select id="log-task" value={task} onChange={(e) => setTask(e.target.value)}>
              <option value="">All lines</option>
              <option value={FLOW_ONLY}>The flow run's own lines</option>
              {taskOptions.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="button" className="secondary" onClick={download} disabled={shown.length === 0}>
          Download logs
        </button>
      </div>
      <ErrorAlert error={error} />
      <div
        className="logs"
        aria-label="Logs"
        role="log"
        tabIndex={0}
        ref={box}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 30;
        }}
      >
        {truncated && <div className="notice">Only the first {lines.length} lines are loaded; the run has more.</div>}
        {shown.length > limit && (
          <div className="notice">
            Showing the last {limit} of {shown.length} lines.{" "}
            <button type="button" className="link-button" onClick={() => ((stick.current = false), setLimit((n) => n + SHOWN))}>
              Show {Math.min(SHOWN, shown.length - limit)} earlier lines
            </button>
          </div>
        )}
        {visible.map((l) => (
          <div key={l.id} className={`log-line level-${levelName(l.level).toLowerCase()}`}>
            <time dateTime={l.timestamp} title={formatUtc(l.timestamp)}>
              {withDate ? formatLocal(l.timestamp, zone) : formatLocal(l.timestamp, zone).slice(11)}
            </time>
            <span className="level">{levelName(l.level)}</span>
            {l.task_run_id && !taskRunId ? (
              <Link className="logger task" to={`/task-runs/${l.task_run_id}`} title={`${l.name}: this task run's page`}>
                {names.get(l.task_run_id) ?? l.name}
              </Link>
            ) : (
              <span className="logger">{l.name}</span>
            )}
            <span className="message">{l.message}</span>
          </div>
        ))}
        {loaded && lines.length === 0 && <div className="muted">No logs yet.</div>}
        {loaded && lines.length > 0 && shown.length === 0 && <div className="muted">No line matches the filter.</div>}
      </div>
    </div>
  );
}
