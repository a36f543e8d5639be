import type { TaskRun } from "../api/types";
import { ganttLayout } from "../lib/gantt";
import { formatDuration, formatUtc } from "../lib/time";

const ROW = 26;
const LABEL = 180;
const WIDTH = 900;

/** Task runs as bars on a time axis; each bar's title says start, duration, state and attempts. */
export function GanttChart({ tasks, now }: { tasks: TaskRun[]; now: number }) {
  const layout = ganttLayout(tasks, now);
  if (layout.bars.length === 0) return <p className="muted">No task runs.</p>;
  const plot = WIDTH - LABEL - 10;
  const height = layout.bars.length * ROW + 24;
  return (
    <div className="chart-scroll">
      <svg className="gantt" role="img" aria-label="Task runs Gantt" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" style={{ minWidth: 600 }}>
        {layout.ticks.map((tick) => (
          <g key={tick.offsetMs}>
            <line x1={LABEL + tick.x * plot} x2={LABEL + tick.x * plot} y1={0} y2={height - 18} className="grid" />
            <text x={LABEL + tick.x * plot} y={height - 4} className="axis" textAnchor="middle">
              +{formatDuration(tick.offsetMs)}
            </text>
          </g>
        ))}
        {layout.bars.map((bar) => {
          const y = bar.row * ROW + 4;
          const retries = bar.run_count > 1 ? ` · ${bar.run_count} attempts` : "";
          const title = `${bar.name}: ${bar.state_name}${retries}\nstart ${formatUtc(new Date(bar.startMs).toISOString())}\n${bar.durationMs === null ? "not started" : `duration ${formatDuration(bar.durationMs)}${bar.open ? " (running)" : ""}`}`;
          return (
            <g key={bar.id}>
              <title>{title}</title>
              <text x={LABEL - 8} y={y + 14} className="label" textAnchor="end">
                {bar.name.length > 24 ? `${bar.name.slice(0, 23)}…` : bar.name}
              </text>
              {bar.pending ? (
                <circle cx={LABEL + bar.x * plot} cy={y + 9} r={5} className={`bar state-${bar.state_type}`} />
              ) : (
                <rect x={LABEL + bar.x * plot} y={y} width={Math.max(3, bar.width * plot)} height={18} rx={3} className={`bar state-${bar.state_type}${bar.open ? " open" : ""}`} />
              )}
              {bar.run_count > 1 && (
                <text x={LABEL + (bar.x + bar.width) * plot + 6} y={y + 14} className="axis">
                  ×{bar.run_count}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
