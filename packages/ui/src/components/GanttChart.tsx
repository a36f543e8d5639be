import { useEffect, useState } from "react";
import type { TaskRun } from "../api/types";
import { navigate } from "../router/router";
import { ganttLayout } from "../lib/gantt";
import { formatDuration, formatLocal } from "../lib/time";
import { useDisplayZone } from "../lib/display-zone";

const ROW = 26;
const COMPACT_ROW = 10;
const LABEL = 180;
const WIDTH = 900;
/** Rows drawn before "Show all": a 700-task run would otherwise be an 18,000 px tall chart. */
export const GANTT_FIRST_ROWS = 100;
const ZOOMS = [1, 2, 4, 8];
const FAILED = new Set(["FAILED", "CRASHED"]);

/**
 * Task runs as bars on a time axis. A big run starts collapsed to its first rows (with a notice
 * and "Show all"), can be drawn compact (thin rows, no labels) and zoomed in time, and "Jump to
 * the failed task" brings the first failed bar into view. Each bar opens its task run's page.
 * The chart is a picture for sighted users; the task runs table beside it says the same in text.
 */
export function GanttChart({ tasks, now }: { tasks: TaskRun[]; now: number }) {
  const zone = useDisplayZone();
  const [limit, setLimit] = useState(GANTT_FIRST_ROWS);
  const [compact, setCompact] = useState(tasks.length > GANTT_FIRST_ROWS);
  const [zoom, setZoom] = useState(1);
  const [marked, setMarked] = useState<string>();
  const layout = ganttLayout(tasks, now);
  const firstFailed = layout.bars.find((b) => FAILED.has(b.state_type));
  useEffect(() => {
    if (!marked) return;
    document.getElementById(`gantt-${marked}`)?.scrollIntoView({ block: "center", inline: "center" });
  }, [marked, limit]);
  if (layout.bars.length === 0) return <p className="muted">No task runs.</p>;
  const bars = layout.bars.slice(0, limit);
  const row = compact ? COMPACT_ROW : ROW;
  const label = compact ? 0 : LABEL;
  const width = WIDTH * zoom;
  const plot = width - label - 30;
  const height = bars.length * row + 24;
  const jump = () => {
    if (!firstFailed) return;
    if (firstFailed.row >= limit) setLimit(layout.bars.length);
    setMarked(firstFailed.id);
  };
  return (
    <div className="gantt-block">
      <div className="toolbar chart-tools">
        {firstFailed && (
          <button type="button" className="secondary small" onClick={jump}>
            Jump to the failed task ({firstFailed.name})
          </button>
        )}
        <label className="check-inline">
          <input type="checkbox" checked={compact} onChange={(e) => setCompact(e.target.checked)} /> Compact rows
        </label>
        <label className="check-inline">
          Zoom{" "}
          <select value={zoom} onChange={(e) => setZoom(Number(e.target.value))}>
            {ZOOMS.map((z) => (
              <option key={z} value={z}>
                {z === 1 ? "Fit" : `${z}×`}
              </option>
            ))}
          </select>
        </label>
      </div>
      {layout.bars.length > bars.length && (
        <p className="notice" role="note">
          Showing the first {bars.length} of {layout.bars.length} task runs.{" "}
          <button type="button" className="link-button" onClick={() => setLimit(layout.bars.length)}>
            Show all {layout.bars.length}
          </button>
        </p>
      )}
      <div className="chart-scroll" tabIndex={0} role="region" aria-label="Task runs Gantt chart (the task runs table below lists the same)">
        <svg className="gantt" aria-hidden="true" viewBox={`0 0 ${width} ${height}`} width={zoom === 1 ? "100%" : width} style={{ minWidth: 600 }}>
          {layout.ticks.map((tick) => (
            <g key={tick.offsetMs}>
              <line x1={label + tick.x * plot} x2={label + tick.x * plot} y1={0} y2={height - 18} className="grid" />
              <text x={label + tick.x * plot} y={height - 4} className="axis" textAnchor="middle">
                +{formatDuration(tick.offsetMs)}
              </text>
            </g>
          ))}
          {bars.map((bar) => {
            const y = bar.row * row + 4;
            const h = compact ? row - 3 : 18;
            const retries = bar.run_count > 1 ? ` · ${bar.run_count} attempts` : "";
            const title = `${bar.name}: ${bar.state_name}${retries}\nstart ${formatLocal(new Date(bar.startMs).toISOString(), zone)}\n${bar.durationMs === null ? "not started" : `duration ${formatDuration(bar.durationMs)}${bar.open ? " (running)" : ""}`}`;
            const href = `/task-runs/${bar.id}`;
            return (
              <a
                key={bar.id}
                id={`gantt-${bar.id}`}
                href={href}
                tabIndex={-1}
                className={marked === bar.id ? "marked" : undefined}
                onClick={(e) => {
                  if (e.button !== 0 || e.metaKey || e.ctrlKey) return;
                  e.preventDefault();
                  navigate(href);
                }}
              >
                <title>{title}</title>
                {!compact && (
                  <text x={LABEL - 8} y={y + 14} className="label" textAnchor="end">
                    {bar.name.length > 24 ? `${bar.name.slice(0, 23)}…` : bar.name}
                  </text>
                )}
                {bar.pending ? (
                  <circle cx={label + bar.x * plot} cy={y + h / 2} r={compact ? 3 : 5} className={`bar state-${bar.state_type}`} />
                ) : (
                  <rect x={label + bar.x * plot} y={y} width={Math.max(3, bar.width * plot)} height={h} rx={compact ? 1 : 3} className={`bar state-${bar.state_type}${bar.open ? " open" : ""}`} />
                )}
                {bar.run_count > 1 && !compact && (
                  <text x={label + (bar.x + bar.width) * plot + 6} y={y + 14} className="axis">
                    ×{bar.run_count}
                  </text>
                )}
              </a>
            );
          })}
        </svg>
      </div>
    </div>
  );
}
