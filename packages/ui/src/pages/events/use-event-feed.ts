import { useEffect, useRef, useState } from "react";
import { call } from "../../api/client";
import { useLive, type FlowRunEvent, type LiveState } from "../../api/live";
import { FEED_LIMIT, HISTORY_PAGE, addOlder, emptyFeed, mergeFeed, type Feed, type FeedItem, type FeedType, type Older } from "../../lib/event-feed";

export interface FeedFilters {
  type: FeedType | "";
  pool: string;
  deployment: string;
}

export interface EventFeed {
  feed: Feed;
  /** Whether the chosen events have a history (state changes do; heartbeats are not stored). */
  hasHistory: boolean;
  /** The first history page, or an older one, is on its way. */
  loading: boolean;
  error: Error | undefined;
  live: LiveState;
  paused: boolean;
  /** Live events that came while paused. */
  held: number;
  pause(): void;
  resume(): void;
  loadOlder(): void;
}

/**
 * The events page's list: the stored history first (newest first, a page at a time), then the
 * live stream's events on top, each state once (history and stream share its id). After the
 * stream was dropped or while it cannot open, the newest history page is fetched again and
 * merged, so what was missed meanwhile shows too. Mount it again (a React key) for other filters.
 */
export function useEventFeed(filters: FeedFilters): EventFeed {
  const [feed, setFeed] = useState<Feed>(emptyFeed);
  const [held, setHeld] = useState<FeedItem[]>([]);
  const [paused, setPaused] = useState(false);
  // A deployment's runs send no heartbeats: with a deployment chosen, only state changes come.
  const types = filters.type || (filters.deployment ? "flow_run" : "flow_run,worker");
  const hasHistory = types.includes("flow_run");
  const [loading, setLoading] = useState(hasHistory);
  const [error, setError] = useState<Error>();
  const liveSeq = useRef(0);
  const historySeq = useRef(0);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  const fetchPage = async (from: Older) => {
    const query = { limit: HISTORY_PAGE, ...(filters.pool ? { work_pool_name: filters.pool } : {}), ...(filters.deployment ? { deployment_id: filters.deployment } : {}), ...(from ?? {}) };
    const page = await call("listEventHistory", { query });
    return { items: page.items.map((data: FlowRunEvent): FeedItem => ({ type: "flow_run", data, seq: --historySeq.current })), next: page.next_cursor };
  };
  const add = (items: FeedItem[]) => {
    // Paused: the list holds still for reading; what arrives waits (bounded too) for resume.
    if (pausedRef.current) setHeld((old) => [...old, ...items].slice(-FEED_LIMIT));
    else setFeed((old) => mergeFeed(old, items));
  };
  const loadOlder = (from: Older) => {
    setLoading(true);
    fetchPage(from).then(
      (page) => {
        setFeed((old) => addOlder(old, page.items, page.next));
        setError(undefined);
        setLoading(false);
      },
      (e: unknown) => {
        setError(e instanceof Error ? e : new Error(String(e)));
        setLoading(false);
      },
    );
  };

  useEffect(() => {
    if (hasHistory) loadOlder(null);
    // Once per mount: other filters mount the feed again.
  }, []);

  const live = useLive({ types, work_pool_name: filters.pool, deployment_id: filters.deployment }, (message) => {
    if (message.type === "resync") {
      // Missed while the stream was down: the newest page again (what is shown already is skipped).
      if (hasHistory) fetchPage(null).then((page) => add(page.items), () => undefined);
      return;
    }
    if (message.type !== "flow_run" && message.type !== "worker") return;
    add([{ ...message, seq: ++liveSeq.current } as FeedItem]);
  });

  return {
    feed,
    hasHistory,
    loading,
    error,
    live,
    paused,
    held: held.length,
    pause: () => setPaused(true),
    resume: () => {
      setFeed((old) => mergeFeed(old, held));
      setHeld([]);
      setPaused(false);
    },
    loadOlder: () => loadOlder(feed.older),
  };
}
