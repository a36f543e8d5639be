import type { BaseJobTemplate, Worker, WorkPool, WorkQueue } from "@baton/core";
import type { Selectable } from "kysely";
import { fromJson } from "../db/rows.js";
import type { WorkerTable, WorkPoolTable, WorkQueueTable } from "../db/schema.js";

export type WorkPoolRow = Selectable<WorkPoolTable>;
export type WorkQueueRow = Selectable<WorkQueueTable>;
export type WorkerRow = Selectable<WorkerTable>;

export const DEFAULT_QUEUE = "default";

/** A worker is online until it has missed three heartbeats in a row. */
export const MISSED_HEARTBEATS_OFFLINE = 3;

export function isWorkerOnline(worker: Pick<WorkerRow, "last_heartbeat_time" | "heartbeat_interval_seconds">, now: Date): boolean {
  const silentMs = now.getTime() - Date.parse(worker.last_heartbeat_time);
  return silentMs < MISSED_HEARTBEATS_OFFLINE * Number(worker.heartbeat_interval_seconds) * 1000;
}

export function toWorker(row: WorkerRow, poolName: string, now: Date): Worker {
  return {
    id: row.id,
    name: row.name,
    work_pool_name: poolName,
    status: isWorkerOnline(row, now) ? "ONLINE" : "OFFLINE",
    last_heartbeat_time: row.last_heartbeat_time,
    heartbeat_interval_seconds: Number(row.heartbeat_interval_seconds),
    created: row.created,
  };
}

export function toWorkPool(row: WorkPoolRow, anyWorkerOnline: boolean): WorkPool {
  return {
    id: row.id,
    name: row.name,
    type: row.type as WorkPool["type"],
    description: row.description,
    base_job_template: templateOf(row),
    concurrency_limit: row.concurrency_limit === null ? null : Number(row.concurrency_limit),
    paused: Boolean(row.paused),
    status: row.paused ? "PAUSED" : anyWorkerOnline ? "READY" : "NOT_READY",
    default_queue_name: DEFAULT_QUEUE,
    created: row.created,
    updated: row.updated,
  };
}

export const templateOf = (row: Pick<WorkPoolRow, "base_job_template">): BaseJobTemplate => fromJson(row.base_job_template);

export function toWorkQueue(row: WorkQueueRow, poolName: string): WorkQueue {
  return {
    id: row.id,
    work_pool_name: poolName,
    name: row.name,
    description: row.description,
    priority: Number(row.priority),
    concurrency_limit: row.concurrency_limit === null ? null : Number(row.concurrency_limit),
    paused: Boolean(row.paused),
    created: row.created,
    updated: row.updated,
  };
}
