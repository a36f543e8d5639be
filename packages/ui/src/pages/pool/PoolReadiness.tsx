import type { ReactNode } from "react";
import type { WorkPool, WorkQueue, Worker } from "../../api/types";
import { Time } from "../../components/Copy";

/** How many heartbeats a worker may miss before it counts as offline (the server's MISSED_HEARTBEATS_OFFLINE). */
const MISSED_HEARTBEATS_OFFLINE = 3;

/**
 * Why a pool's runs would not start, in words: paused, no worker heard from within its heartbeat
 * window (and when the last one was), or no queue a worker may claim from. Nothing when it is ready
 * and at least one queue is open.
 */
/** The pool's status as of the workers just fetched (a heartbeat flips it before the pool is read again). */
export function liveStatus(pool: WorkPool, workers: Worker[] | undefined): WorkPool["status"] {
  if (pool.paused) return "PAUSED";
  if (!workers) return pool.status;
  return workers.some((w) => w.status === "ONLINE") ? "READY" : "NOT_READY";
}

export function PoolReadiness({ pool, workers, queues }: { pool: WorkPool; workers: Worker[] | undefined; queues: WorkQueue[] | undefined }) {
  const status = liveStatus(pool, workers);
  const reasons: ReactNode[] = [];
  if (status === "PAUSED") reasons.push(<>The pool is paused: no worker claims its runs until it is resumed. Its runs wait, and become Late when their time passes.</>);
  if (status === "NOT_READY" && workers) {
    const last = [...workers].sort((a, b) => Date.parse(b.last_heartbeat_time) - Date.parse(a.last_heartbeat_time))[0];
    reasons.push(
      last ? (
        <>
          No worker has polled within its heartbeat window (a worker counts as offline after {MISSED_HEARTBEATS_OFFLINE} missed heartbeats: {MISSED_HEARTBEATS_OFFLINE * last.heartbeat_interval_seconds} s at
          its {last.heartbeat_interval_seconds} s interval). The last heartbeat came from {last.name} at <Time iso={last.last_heartbeat_time} copy={false} />. Start or restart a worker:{" "}
          <code>baton worker start --pool {pool.name}</code>
        </>
      ) : (
        <>
          No worker has ever polled this pool, so nothing picks up its runs. Start one: <code>baton worker start --pool {pool.name}</code>
        </>
      ),
    );
  }
  if (queues && queues.length === 0) reasons.push(<>The pool has no queue: runs have nowhere to wait. Create one below.</>);
  else if (queues && queues.every((q) => q.paused)) reasons.push(<>Every queue of the pool is paused: workers poll but claim nothing. Resume a queue below.</>);
  if (reasons.length === 0) return null;
  return (
    <div className="card why" role="note" aria-labelledby="pool-readiness">
      <h2 id="pool-readiness">{status === "READY" ? "Why runs would not start" : status === "PAUSED" ? "Why the pool is paused" : "Why the pool is not ready"}</h2>
      <ul>
        {reasons.map((r, i) => (
          <li key={i}>{r}</li>
        ))}
      </ul>
    </div>
  );
}
