import { describe, expect, test } from "vitest";
import type { FlowRunEvent } from "../api/live";
import { FEED_LIMIT, LIVE_LABELS, addOlder, emptyFeed, feedKey, mergeFeed, type Feed, type FeedItem } from "./event-feed";

const at = (second: number, ms = 0) => new Date(Date.UTC(2026, 11, 1, 0, 0, second, ms)).toISOString();
const state = (stateId: string, timestamp: string, seq: number): FeedItem => ({
  seq,
  type: "flow_run",
  data: { id: "run-1", state_id: stateId, state_type: "RUNNING", state_name: "Running", flow_id: "f", flow_name: "etl", deployment_id: null, deployment_name: null, work_pool_name: null, timestamp } satisfies FlowRunEvent,
});
const beat = (name: string, time: string, seq: number): FeedItem => ({ seq, type: "worker", data: { name, work_pool_name: "gpu", status: "ONLINE", last_heartbeat_time: time } });
const ids = (feed: Feed) => feed.items.map((i) => (i.type === "flow_run" ? i.data.state_id : i.data.name));

describe("the events page's list", () => {
  test("history first, then live on top: a state seen in both shows once, newest first", () => {
    let feed = addOlder(emptyFeed(), [state("s3", at(3), -1), state("s2", at(2), -2)], "cursor-1");
    expect(feed.older).toEqual({ cursor: "cursor-1" });
    // The stream sends s3 again (it committed while the history was read) and a new s4.
    feed = mergeFeed(feed, [state("s3", at(3), 1)]);
    feed = mergeFeed(feed, [state("s4", at(4), 2), beat("w1", at(5), 3)]);
    expect(ids(feed)).toEqual(["w1", "s4", "s3", "s2"]);
    // An older page goes below, continues from its own cursor, and ends the history.
    feed = addOlder(feed, [state("s2", at(2), -3), state("s1", at(1), -4)], null);
    expect(ids(feed)).toEqual(["w1", "s4", "s3", "s2", "s1"]);
    expect(feed.older).toBeNull();
  });

  test("a refetch after a reconnect puts what was missed in its place, not on top", () => {
    let feed = addOlder(emptyFeed(), [state("s1", at(1), -1)], null);
    feed = mergeFeed(feed, [state("s5", at(5), 1)]);
    feed = mergeFeed(feed, [state("s5", at(5), -2), state("s3", at(3), -3), state("s1", at(1), -4)]);
    expect(ids(feed)).toEqual(["s5", "s3", "s1"]);
  });

  test("events of one millisecond keep their order: live by arrival, history by page order", () => {
    let feed = addOlder(emptyFeed(), [state("h-b", at(1), -1), state("h-a", at(1), -2)], null);
    feed = mergeFeed(feed, [state("l-1", at(1), 1)]);
    feed = mergeFeed(feed, [state("l-2", at(1), 2)]);
    expect(ids(feed)).toEqual(["l-2", "l-1", "h-b", "h-a"]);
  });

  test("keeps the newest 500; once the oldest are dropped, Load older goes on from the list's oldest millisecond", () => {
    let feed = addOlder(emptyFeed(), [state("old", at(0), -1)], "cursor-1");
    const live = Array.from({ length: FEED_LIMIT }, (_, i) => state(`live-${i}`, at(10, i), i + 1));
    feed = mergeFeed(feed, live);
    expect(feed.items).toHaveLength(FEED_LIMIT);
    expect(ids(feed)[0]).toBe(`live-${FEED_LIMIT - 1}`);
    expect(ids(feed)).not.toContain("old");
    // until is exclusive: the oldest shown millisecond is asked again, and what of it shows is skipped.
    expect(feed.older).toEqual({ until: at(10, 1) });
  });

  test("what the reader loaded with Load older is not dropped by the next live event", () => {
    const page = (from: number) => Array.from({ length: 100 }, (_, i) => state(`h-${from + i}`, at(0, 999 - from - i), -(from + i)));
    let feed = mergeFeed(emptyFeed(), Array.from({ length: FEED_LIMIT }, (_, i) => state(`live-${i}`, at(10, i), i + 1)));
    feed = addOlder(feed, page(0), "cursor-2");
    expect(feed.items).toHaveLength(FEED_LIMIT + 100);
    feed = mergeFeed(feed, [state("newest", at(20), 1000)]);
    expect(feed.items).toHaveLength(FEED_LIMIT + 100);
    expect(ids(feed)[0]).toBe("newest");
    expect(ids(feed)).toContain("h-98");
    expect(ids(feed)).not.toContain("h-99");
  });

  test("heartbeats are keyed by worker and time; a state without an id by its arrival", () => {
    expect(feedKey(beat("w1", at(1), 1))).toBe(feedKey(beat("w1", at(1), 7)));
    expect(feedKey(beat("w1", at(1), 1))).not.toBe(feedKey(beat("w1", at(2), 2)));
    const noId = (seq: number) => ({ ...state("", at(1), seq) });
    expect(feedKey(noId(1))).not.toBe(feedKey(noId(2)));
  });

  test("the connection is named as it is", () => {
    expect(LIVE_LABELS).toEqual({ connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", offline: expect.stringMatching(/^Offline/) });
  });
});
