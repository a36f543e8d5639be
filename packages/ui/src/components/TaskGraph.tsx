import type { TaskRun } from "../api/types";
import { Link, navigate } from "../router/router";
import { taskGraphLayout } from "../lib/task-graph";

const COL = 200;
const ROW = 44;
const NODE_W = 160;
const NODE_H = 28;
/** Independent task runs listed as chips; the rest are in the task runs table. */
const MAX_CHIPS = 40;

/** Which task run fed which (from task_inputs), left to right. */
export function TaskGraph({ tasks }: { tasks: TaskRun[] }) {
  const full = taskGraphLayout(tasks);
  if (full.nodes.length === 0) return <p className="muted">No task runs.</p>;
  // Task runs that fed nothing and took nothing from another are listed, not drawn in one tall column.
  const linked = new Set(full.edges.flatMap((e) => [e.from, e.to]));
  const alone = tasks.filter((t) => !linked.has(t.id));
  const layout = taskGraphLayout(tasks.filter((t) => linked.has(t.id)));
  const list =
    alone.length === 0 ? null : (
      <div className="task-chips">
        <p className="muted">{layout.nodes.length === 0 ? "No task run took another's result:" : "Independent task runs:"}</p>
        {alone.slice(0, MAX_CHIPS).map((t) => (
          <Link key={t.id} to={`/task-runs/${t.id}`} className={`chip state-${t.state_type}`} title={`${t.name}: ${t.state_name}`}>
            {t.name}
          </Link>
        ))}
        {alone.length > MAX_CHIPS && <p className="muted">and {alone.length - MAX_CHIPS} more: the task runs table lists them all.</p>}
      </div>
    );
  if (layout.nodes.length === 0) return list;
  const pos = new Map(layout.nodes.map((n) => [n.id, { x: 10 + n.layer * COL, y: 10 + n.index * ROW }]));
  const width = layout.layers * COL + 10;
  const height = layout.height * ROW + 10;
  return (
    <>
    <div className="chart-scroll" tabIndex={0} role="region" aria-label="Task graph (the task runs table lists each task run's inputs)">
      <svg className="task-graph" aria-hidden="true" viewBox={`0 0 ${width} ${height}`} width={Math.min(width, 1100)}>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrowhead" />
          </marker>
        </defs>
        {layout.edges.map((edge) => {
          const a = pos.get(edge.from);
          const b = pos.get(edge.to);
          if (!a || !b) return null;
          const x1 = a.x + NODE_W;
          const y1 = a.y + NODE_H / 2;
          const x2 = b.x;
          const y2 = b.y + NODE_H / 2;
          const mid = (x1 + x2) / 2;
          return (
            <path key={`${edge.from}-${edge.to}`} d={`M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`} className="edge" markerEnd="url(#arrow)">
              <title>{edge.argument}</title>
            </path>
          );
        })}
        {layout.nodes.map((node) => {
          const p = pos.get(node.id);
          if (!p) return null;
          return (
            <a
              key={node.id}
              href={`/task-runs/${node.id}`}
              tabIndex={-1}
              onClick={(e) => {
                if (e.button !== 0 || e.metaKey || e.ctrlKey) return;
                e.preventDefault();
                navigate(`/task-runs/${node.id}`);
              }}
            >
              <title>{`${node.name}: ${node.state_type}`}</title>
              <rect x={p.x} y={p.y} width={NODE_W} height={NODE_H} rx={6} className={`node state-${node.state_type}`} />
              <text x={p.x + 10} y={p.y + 18} className="node-label">
                {node.name.length > 20 ? `${node.name.slice(0, 19)}…` : node.name}
              </text>
            </a>
          );
        })}
      </svg>
    </div>
    {list}
    </>
  );
}
