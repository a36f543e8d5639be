import { isTerminal, type StateType } from "@baton/core";
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
  private readonly finalWatchers = new Map<string, Set<() => void>>();
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

  /**
   * `onFinal` once `flowRunId` reaches a final state (a wait for a run's end). Lighter than a
   * flow_run subscription: only the run id and state type of each commit are looked at, with no
   * lookup of the run's flow and deployment. Returns the unsubscribe.
   */
  watchFinal(flowRunId: string, onFinal: () => void): () => void {
    let set = this.finalWatchers.get(flowRunId);
    if (!set) this.finalWatchers.set(flowRunId, (set = new Set()));
    set.add(onFinal);
    return () => {
      set.delete(onFinal);
      if (set.size === 0 && this.finalWatchers.get(flowRunId) === set) this.finalWatchers.delete(flowRunId);
    };
  }

  watchesFinal(): boolean {
    return this.finalWatchers.size > 0;
  }

  /** A state of a run was committed (here or on another replica): its final-state watchers hear of a final one. */
  stateCommitted(flowRunId: string, type: string): void {
    if (!isTerminal(type as StateType)) return;
    for (const onFinal of this.finalWatchers.get(flowRunId) ?? []) {
      try {
        onFinal();
      } catch {
        // A broken watcher must not stop the writer that published.
      }
    }
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
