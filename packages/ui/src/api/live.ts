import { useEffect, useRef, useState } from "react";
import { withQuery, type Query } from "./client";

// The event shapes are core's API contract, as the server sends them.
import type { FlowRunEvent, LogEvent, WorkerEvent } from "@baton/core";

export type { FlowRunEvent, LogEvent, WorkerEvent };

export type LiveMessage =
  | { type: "flow_run"; data: FlowRunEvent }
  | { type: "log"; data: LogEvent }
  | { type: "worker"; data: WorkerEvent }
  /** Refetch what the page shows: the stream (re)opened and events may have been missed, or a poll tick. */
  | { type: "resync" };

const POLL_MS = 4000;

/**
 * Where the stream is: opening for the first time; open (`ready` came); dropped and being
 * retried by the browser (the page polls meanwhile); or refused for good, or no EventSource at
 * all (the page only polls).
 */
export type LiveState = "connecting" | "live" | "reconnecting" | "offline";

/** EventSource.CLOSED: the browser will not retry. */
const CLOSED = 2;

/**
 * Live updates from the server-sent events stream. When the stream cannot be opened (an older
 * server, a proxy that buffers), the page is told to refetch every few seconds instead.
 * `enabled: false` stops both (a finished run needs no updates). Returns the stream's state, for
 * a page that says whether what it shows is live.
 */
export function useLive(filter: Query & { types: string }, onMessage: (message: LiveMessage) => void, enabled = true): LiveState {
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const url = withQuery("/api/events", filter);
  const [state, setState] = useState<LiveState>("connecting");

  useEffect(() => {
    if (!enabled) return;
    let poll: number | undefined;
    let closed = false;
    setState("connecting");
    const startPolling = () => {
      if (poll === undefined && !closed) poll = window.setInterval(() => handler.current({ type: "resync" }), POLL_MS);
    };
    if (typeof EventSource === "undefined") {
      setState("offline");
      startPolling();
      return () => window.clearInterval(poll);
    }
    const source = new EventSource(url, { withCredentials: true });
    const parse = (event: MessageEvent<string>): unknown => {
      try {
        return JSON.parse(event.data);
      } catch {
        return undefined;
      }
    };
    source.addEventListener("ready", () => {
      // Nothing before `ready` is replayed: what changed after the page's first fetch and before
      // the stream opened (a run going Running as its page loads), or during a drop, is fetched.
      handler.current({ type: "resync" });
      setState("live");
      if (poll !== undefined) {
        window.clearInterval(poll);
        poll = undefined;
      }
    });
    for (const type of ["flow_run", "log", "worker"] as const) {
      source.addEventListener(type, (event) => {
        const data = parse(event as MessageEvent<string>);
        if (data && typeof data === "object") handler.current({ type, data } as LiveMessage);
      });
    }
    source.onerror = () => {
      // CLOSED: the server refused the stream (404, 401): EventSource will not retry, so poll.
      // CONNECTING: it retries by itself; poll meanwhile so the page does not freeze.
      setState(source.readyState === CLOSED ? "offline" : "reconnecting");
      startPolling();
    };
    return () => {
      closed = true;
      source.close();
      window.clearInterval(poll);
    };
  }, [url, enabled]);
  return state;
}

/**
 * Refetch when something changes, at most once per `delayMs`: state events come one per
 * state, so a burst of them (a run going Pending, Running, Completed) becomes one refetch.
 * `refresh` gets the burst's messages (a page may refetch only the rows they name).
 */
export function useLiveRefresh(filter: Query & { types: string }, refresh: (messages: LiveMessage[]) => void, delayMs: number, enabled = true): void {
  const pending = useRef<number | undefined>(undefined);
  const burst = useRef<LiveMessage[]>([]);
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => () => window.clearTimeout(pending.current), []);
  useLive(
    filter,
    (message) => {
      burst.current.push(message);
      if (pending.current !== undefined) return;
      pending.current = window.setTimeout(() => {
        pending.current = undefined;
        const messages = burst.current;
        burst.current = [];
        latest.current(messages);
      }, delayMs);
    },
    enabled,
  );
}

/** How often a page whose data has no event of its own refetches anyway (a change from the CLI). */
const QUIET_REFRESH_MS = 15_000;

/**
 * Live updates for a page of things that change with runs but have no event of their own
 * (variables, automations and their firings, notification deliveries): refetch after runs change
 * state (they set variables, fire automations, send notifications), and every 15 s while the tab
 * is shown for changes made elsewhere.
 */
export function usePageRefresh(refresh: (messages: LiveMessage[]) => void, delayMs = 1500): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  useLiveRefresh({ types: "flow_run" }, (messages) => latest.current(messages), delayMs);
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (!document.hidden) latest.current([{ type: "resync" }]);
    }, QUIET_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);
}
