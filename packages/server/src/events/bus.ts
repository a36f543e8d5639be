import type { Committed } from "./committed.js";
import type { EventMap, EventType } from "./types.js";

type Listener<T extends EventType> = (event: EventMap[T]) => void;

/**
 * The in-process event bus: writers publish after their transaction commits, the event
 * streams subscribe. `wants` lets a writer skip the work of building an event (a query for
 * flow runs) when nobody listens, which is most of the time on a busy server.
 */
export class EventBus {
  private readonly listeners: { [T in EventType]: Set<Listener<T>> } = { flow_run: new Set(), log: new Set(), task_runs: new Set(), worker: new Set() };
  private readonly logWatchers = new Map<string, number>();
  /** Set when other server replicas share the database: hands them what this one committed. */
  relay: ((committed: Committed) => void) | undefined;

  /** A stream wants the log lines or task runs of `flowRunId` (looked up only for watched runs). */
  watchRun(flowRunId: string): () => void {
    this.logWatchers.set(flowRunId, (this.logWatchers.get(flowRunId) ?? 0) + 1);
    return () => {
      const left = (this.logWatchers.get(flowRunId) ?? 1) - 1;
      if (left > 0) this.logWatchers.set(flowRunId, left);
      else this.logWatchers.delete(flowRunId);
    };
  }

  watches(flowRunId: string): boolean {
    return this.logWatchers.has(flowRunId);
  }

  subscribe<T extends EventType>(type: T, listener: Listener<T>): () => void {
    const set = this.listeners[type] as Set<Listener<T>>;
    set.add(listener);
    return () => set.delete(listener);
  }

  wants(type: EventType): boolean {
    return this.listeners[type].size > 0;
  }

  publish<T extends EventType>(type: T, event: EventMap[T]): void {
    for (const listener of this.listeners[type] as Set<Listener<T>>) {
      try {
        listener(event);
      } catch {
        // One broken stream must not stop the others, nor the writer that published.
      }
    }
  }
}
