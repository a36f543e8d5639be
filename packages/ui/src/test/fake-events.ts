import { vi } from "vitest";

/**
 * The server-sent events stream of a component test: an EventSource the test drives. `emit`
 * sends one event to every open stream, as the server does after a commit (see core's
 * api/events.ts for the shapes); `urls` are the streams the page opened.
 */
export function fakeEvents() {
  const open = new Set<FakeEventSource>();
  const urls: string[] = [];
  class FakeEventSource {
    onerror: (() => void) | null = null;
    /** 0 connecting, 1 open, 2 closed (the browser gave up), as EventSource's. */
    readyState = 0;
    private readonly listeners = new Map<string, ((event: { data: string }) => void)[]>();
    constructor(url: string) {
      urls.push(url);
      open.add(this);
    }
    addEventListener(type: string, listener: (event: { data: string }) => void) {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
    }
    close() {
      open.delete(this);
    }
    dispatch(type: string, data: unknown) {
      for (const listener of this.listeners.get(type) ?? []) listener({ data: JSON.stringify(data) });
    }
  }
  vi.stubGlobal("EventSource", FakeEventSource);
  return {
    urls,
    emit: (type: string, data: unknown) => {
      for (const source of [...open]) source.dispatch(type, data);
    },
    /** The server opened the streams (`ready`). */
    ready: () => {
      for (const source of [...open]) {
        source.readyState = 1;
        source.dispatch("ready", { types: [] });
      }
    },
    /** The streams dropped: the browser retries, or (`closed`) gives up, as after a 404. */
    fail: (closed = false) => {
      for (const source of [...open]) {
        source.readyState = closed ? 2 : 0;
        source.onerror?.();
      }
    },
  };
}

/** A `flow_run` event: a run of `flow_name` entered `state_type`. */
export const runStateEvent = (flow_name: string, state_type = "COMPLETED") => ({
  id: "0190a0a0-0000-7000-8000-00000000e001",
  state_type,
  state_name: state_type.charAt(0) + state_type.slice(1).toLowerCase(),
  flow_id: "0190a0a0-0000-7000-8000-00000000e0ff",
  flow_name,
  deployment_id: null,
  deployment_name: null,
  work_pool_name: null,
  timestamp: "2026-12-01T00:00:00.000Z",
});
