import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";
import { api, enc } from "../../api/client";
import type { Log, Page } from "../../api/types";
import { ErrorAlert } from "../../components/ErrorAlert";
import { LEVELS, filterLogs, levelName, logsAsText, mergeLogs, type LogLine } from "../../lib/logs";
import { formatLocal, formatUtc } from "../../lib/time";

const SHOWN = 3000;
const MAX_PAGES = 20;

/** Every line of a run, oldest first (paging through the API's cursor). */
async function fetchAllLogs(flowRunId: string): Promise<LogLine[]> {
  let lines: LogLine[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await api.get<Page<Log>>("/logs", { flow_run_id: flowRunId, limit: 5000, cursor });
    lines = mergeLogs(lines, result.items);
    if (!result.next_cursor) break;
    cursor = result.next_cursor;
  }
  return lines;
}

interface Props {
  flowRunId: string;
  runName: string;
  /** Set here: where the page sends lines from the live stream. */
  sink: RefObject<((line: LogLine) => void) | null>;
  /** Changes when the page wants a full refetch (the stream reconnected, a poll tick). */
  refreshKey: number;
}

/** Logs with a level filter, search and download. */
export function LogsPanel({ flowRunId, runName, sink, refreshKey }: Props) {
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<Error>();
  const [loaded, setLoaded] = useState(false);
  const [minLevel, setMinLevel] = useState(0);
  const [search, setSearch] = useState("");
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    let live = true;
    fetchAllLogs(flowRunId).then(
      (all) => {
        if (!live) return;
        setLines((current) => mergeLogs(all, current));
        setLoaded(true);
        setError(undefined);
      },
      (e: unknown) => live && setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => {
      live = false;
    };
  }, [flowRunId, refreshKey]);

  useEffect(() => {
    sink.current = (line) => setLines((current) => mergeLogs(current, [line]));
    return () => {
      sink.current = null;
    };
  }, [sink]);

  const shown = filterLogs(lines, minLevel, search);
  const visible = shown.length > SHOWN ? shown.slice(-SHOWN) : shown;

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
        {shown.length > SHOWN && <div className="muted">Showing the last {SHOWN} of {shown.length} lines; download for all.</div>}
        {visible.map((l) => (
          <div key={l.id} className={`log-line level-${levelName(l.level).toLowerCase()}`}>
            <time dateTime={l.timestamp} title={formatUtc(l.timestamp)}>
              {formatLocal(l.timestamp).slice(11)}
            </time>
            <span className="level">{levelName(l.level)}</span>
            <span className="logger">{l.name}</span>
            <span className="message">{l.message}</span>
          </div>
        ))}
        {loaded && lines.length === 0 && <div className="muted">No logs yet.</div>}
        {loaded && lines.length > 0 && shown.length === 0 && <div className="muted">No line matches the filter.</div>}
      </div>
    </div>
  );
}
