/**
 * Which task fed which: task runs are nodes, a `task_inputs` entry naming another task run of
 * the same flow run is an edge from it. Laid out in layers (longest path from a source), so
 * every edge points right; within a layer, nodes keep their creation order.
 */
export interface GraphInput {
  id: string;
  name: string;
  state_type: string;
  task_inputs: Record<string, { input_type: string; id: string }[]>;
}

export interface GraphNode {
  id: string;
  name: string;
  state_type: string;
  layer: number;
  index: number;
}
export interface GraphEdge {
  from: string;
  to: string;
  /** The argument of `to` the value went into. */
  argument: string;
}
export interface GraphLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  layers: number;
  /** The most nodes in one layer. */
  height: number;
}

export function taskGraphLayout(tasks: GraphInput[]): GraphLayout {
  const ids = new Set(tasks.map((task) => task.id));
  const edges: GraphEdge[] = [];
  const seen = new Set<string>();
  for (const task of tasks) {
    for (const [argument, inputs] of Object.entries(task.task_inputs)) {
      for (const input of inputs) {
        if (input.input_type !== "task_run" || !ids.has(input.id) || input.id === task.id) continue;
        const key = `${input.id}->${task.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        edges.push({ from: input.id, to: task.id, argument });
      }
    }
  }
  const upstream = new Map<string, string[]>();
  for (const edge of edges) upstream.set(edge.to, [...(upstream.get(edge.to) ?? []), edge.from]);

  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const layerOf = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    // A cycle cannot happen in real data (a task cannot feed what fed it); guard anyway.
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const value = Math.max(-1, ...(upstream.get(id) ?? []).map(layerOf)) + 1;
    visiting.delete(id);
    layer.set(id, value);
    return value;
  };
  const counts: number[] = [];
  const nodes = tasks.map((task) => {
    const l = layerOf(task.id);
    const index = counts[l] ?? 0;
    counts[l] = index + 1;
    return { id: task.id, name: task.name, state_type: task.state_type, layer: l, index };
  });
  return { nodes, edges, layers: counts.length, height: Math.max(0, ...counts) };
}
