// No zod here: the web UI imports this without core's schemas (see packages/ui/src/api/routes.ts).
/** `/flow_runs/:id` + `{ id }` -> `/flow_runs/0190...`. */
export function fillPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_]+)/g, (_, key: string) => {
    const value = params?.[key];
    if (value === undefined) throw new Error(`missing path parameter "${key}" for ${path}`);
    return encodeURIComponent(String(value));
  });
}
