/**
 * The flow runs table's filters live in the URL query (shareable, survive reloads); this maps
 * them to and from the URL and onto `GET /api/flow_runs`'s query.
 */
export interface RunFilters {
  state: string;
  flow: string;
  deployment: string;
  tag: string;
  pool: string;
  /** ISO timestamps bounding when runs were due to start (the API: expected_start_after/before). */
  since: string;
  until: string;
  cursor: string;
}

const KEYS: (keyof RunFilters)[] = ["state", "flow", "deployment", "tag", "pool", "since", "until", "cursor"];

export function filtersFromQuery(query: URLSearchParams): RunFilters {
  const out = {} as RunFilters;
  for (const key of KEYS) out[key] = query.get(key)?.trim() ?? "";
  return out;
}

/** The URL for these filters; empty ones are left out so links stay short. */
export function filtersToSearch(filters: Partial<RunFilters>): string {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The API's names for the same filters. */
export function filtersToApiQuery(filters: RunFilters, limit = 50): Record<string, string | number> {
  const q: Record<string, string | number> = { limit };
  if (filters.state) q.state = filters.state;
  if (filters.flow) q.flow_name = filters.flow;
  if (filters.deployment) q.deployment_id = filters.deployment;
  if (filters.tag) q.tag = filters.tag;
  if (filters.pool) q.work_pool_name = filters.pool;
  if (filters.since) q.expected_start_after = filters.since;
  if (filters.until) q.expected_start_before = filters.until;
  if (filters.cursor) q.cursor = filters.cursor;
  return q;
}

export function hasFilters(filters: RunFilters): boolean {
  return KEYS.some((key) => key !== "cursor" && filters[key] !== "");
}
