import type { FlowRunEvent, LiveState, WorkerEvent } from "../api/live";

/** The events page keeps at most this many: a busy server sends hundreds a minute. */
export const FEED_LIMIT = 500;

/** How many past state changes one "Load older" fetches. */
export const HISTORY_PAGE = 100;

/**
 * `seq` orders events of one millisecond: live ones count up as they arrive (the newest the
 * highest), history ones count down page after page (each page newest first).
 */
export type FeedItem = { seq: number; type: "flow_run"; data: FlowRunEvent } | { seq: number; type: "worker"; data: WorkerEvent };

/** The event types the page can show, as the stream's `types` query names them. */
export const FEED_TYPES = { flow_run: "Flow-run state changes", worker: "Worker heartbeats" } as const;
export type FeedType = keyof typeof FEED_TYPES;

export const isFeedType = (text: string | null): text is FeedType => text !== null && text in FEED_TYPES;

/** When the event happened, by the server's clock: a state's time, a heartbeat's. */
export const feedTime = (item: FeedItem): string => (item.type === "flow_run" ? item.data.timestamp : item.data.last_heartbeat_time);

/**
 * One event, one key: a state by its id, which the history and the stream share, so a state seen
 * in both shows once; a heartbeat by its worker and time (heartbeats have no history).
 */
export function feedKey(item: FeedItem): string {
  if (item.type === "worker") return `worker:${item.data.work_pool_name}/${item.data.name}@${item.data.last_heartbeat_time}`;
  return item.data.state_id ? `state:${item.data.state_id}` : `seq:${item.seq}`;
}

/**
 * Where "Load older" goes on from: the history's own cursor while the list still ends where the
 * last page did; `until` once the oldest were dropped past the limit (the list then ends earlier,
 * and the states of its last millisecond that it already shows are skipped as duplicates); null
 * when the history has no more.
 */
export type Older = { cursor: string } | { until: string } | null;

export interface Feed {
  /** Newest first. */
  items: FeedItem[];
  older: Older;
  /** At most this many: FEED_LIMIT, or what the reader loaded with "Load older" (not dropped by the next live event). */
  cap: number;
}

export const emptyFeed = (): Feed => ({ items: [], older: null, cap: FEED_LIMIT });

const newestFirst = (a: FeedItem, b: FeedItem) => {
  const [ta, tb] = [feedTime(a), feedTime(b)];
  return ta === tb ? b.seq - a.seq : ta < tb ? 1 : -1;
};

/** A millisecond after `iso`: `until` is exclusive, and the list's oldest millisecond must be asked again. */
const justAfter = (iso: string) => new Date(Date.parse(iso) + 1).toISOString();

/**
 * `incoming` (live events, a history page, a refetch after a reconnect, in any order) merged into
 * the feed: each event once, newest first, the oldest dropped past the cap.
 */
export function mergeFeed(feed: Feed, incoming: readonly FeedItem[]): Feed {
  const seen = new Set(feed.items.map(feedKey));
  const added = incoming.filter((item) => {
    const key = feedKey(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (added.length === 0) return feed;
  const items = [...feed.items, ...added].sort(newestFirst);
  if (items.length <= feed.cap) return { ...feed, items };
  const kept = items.slice(0, feed.cap);
  return { ...feed, items: kept, older: { until: justAfter(feedTime(kept[kept.length - 1]!)) } };
}

/** A history page added below what is shown (the first one too); `next` is its next_cursor. */
export function addOlder(feed: Feed, page: readonly FeedItem[], next: string | null): Feed {
  // The reader asked for these: the cap grows to keep them.
  const merged = mergeFeed({ ...feed, cap: feed.items.length + page.length }, page);
  return { items: merged.items, older: next ? { cursor: next } : null, cap: Math.max(feed.cap, merged.items.length) };
}

/** What the page says of the stream, as it is. */
export const LIVE_LABELS: Record<LiveState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline: the live stream did not open; new state changes are fetched every few seconds",
};
