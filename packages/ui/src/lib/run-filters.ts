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
  /** "include": list runs scheduled for later too; empty (the default) leaves them out, as the CLI does. */
  upcoming: string;
  /** One of RUN_ORDERS' values; empty (the default) newest first. */
  sort: string;
  cursor: string;
}

/**
 * The orders the runs list offers, each a server sort (the API pages through every matching run
 * in it, not just the runs shown): the URL's word, what the Order field says, the API's `sort`.
 * Runs without a start (or, by duration, without an end) come last in start and duration orders.
 */
export const RUN_ORDERS = [
  { value: "", label: "Newest first", api: "created_desc" },
  { value: "oldest", label: "Oldest first", api: "created_asc" },
  { value: "started-latest", label: "Started latest first", api: "start_time_desc" },
  { value: "started-earliest", label: "Started earliest first", api: "start_time_asc" },
  { value: "longest", label: "Longest first", api: "duration_desc" },
  { value: "shortest", label: "Shortest first", api: "duration_asc" },
] as const;

/** What a click on a sortable column heading asks for next: descending, ascending, then back to newest first. */
export const COLUMN_ORDERS = { start: ["started-latest", "started-earliest"], duration: ["longest", "shortest"] } as const;
export type SortColumn = keyof typeof COLUMN_ORDERS;

export function nextColumnOrder(column: SortColumn, sort: string): string {
  const [first, second] = COLUMN_ORDERS[column];
  return sort === first ? second : sort === second ? "" : first;
}

/** "descending" or "ascending" when the list is in this column's order (for aria-sort). */
export function columnDirection(column: SortColumn, sort: string): "descending" | "ascending" | undefined {
  const [first, second] = COLUMN_ORDERS[column];
  return sort === first ? "descending" : sort === second ? "ascending" : undefined;
}

const KEYS: (keyof RunFilters)[] = ["state", "flow", "deployment", "tag", "pool", "since", "until", "upcoming", "sort", "cursor"];

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
  // Upcoming runs (a schedule makes up to 100 ahead) would bury what ran: left out unless asked
  // for, or unless the filter asks for scheduled runs by state.
  q.upcoming = filters.upcoming === "include" || /SCHEDULED/.test(filters.state) ? "include" : "exclude";
  const order = RUN_ORDERS.find((o) => o.value === filters.sort);
  if (order && order.value) q.sort = order.api;
  if (filters.cursor) q.cursor = filters.cursor;
  return q;
}

/** The list's query without its paging and order: what the runs total counts. */
export function countQueryOf(apiQuery: Record<string, string | number>): Record<string, string | number> {
  const { limit: _limit, cursor: _cursor, sort: _sort, ...filters } = apiQuery;
  return filters;
}

/** "1 run", "1,234 runs", or "10,000+ runs" when the server stopped counting at its cap. */
export function describeTotal(total: { count: number; capped: boolean }): string {
  return `${total.count.toLocaleString("en-US")}${total.capped ? "+" : ""} run${total.count === 1 && !total.capped ? "" : "s"}`;
}

export function hasFilters(filters: RunFilters): boolean {
  return KEYS.some((key) => key !== "cursor" && filters[key] !== "");
}

/** The states a filter asks for ("FAILED,CRASHED" is two), and the filter for a set of them. */
export function statesOf(state: string): string[] {
  return state.split(",").map((s) => s.trim()).filter(Boolean);
}
export function toggleState(state: string, one: string, on: boolean): string {
  const set = new Set(statesOf(state));
  if (on) set.add(one);
  else set.delete(one);
  return [...set].join(",");
}
