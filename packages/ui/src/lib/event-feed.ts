import type { FlowRunEvent, WorkerEvent } from "../api/live";

/** The events page keeps at most this many: a busy server sends hundreds a minute. */
export const FEED_LIMIT = 500;

export type FeedItem = { seq: number; type: "flow_run"; data: FlowRunEvent } | { seq: number; type: "worker"; data: WorkerEvent };

/** The event types the page can show, as the stream's `types` query names them. */
export const FEED_TYPES = { flow_run: "Flow-run state changes", worker: "Worker heartbeats" } as const;
export type FeedType = keyof typeof FEED_TYPES;

export const isFeedType = (text: string | null): text is FeedType => text !== null && text in FEED_TYPES;

/** Newest first, the oldest dropped past `limit`. `items` may hold several, oldest first. */
export function addToFeed(feed: readonly FeedItem[], items: readonly FeedItem[], limit = FEED_LIMIT): FeedItem[] {
  return [...items].reverse().concat(feed).slice(0, limit);
}

/** When the event happened, by the server's clock: a state's time, a heartbeat's. */
export const feedTime = (item: FeedItem): string => (item.type === "flow_run" ? item.data.timestamp : item.data.last_heartbeat_time);
