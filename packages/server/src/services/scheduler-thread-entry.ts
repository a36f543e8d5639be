/**
 * The scheduler's thread (scheduler-thread.ts): its own SQLite connection to the server's file,
 * and `scheduleDeployments` run on it, so a fill's planning, row building and inserts never
 * hold the server's event loop or its connection. Readers on the server's connection are not
 * blocked by these write transactions (WAL); a writer there waits for one batch at most.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../db/open.js";
import { EventBus } from "../events/bus.js";
import { captureEvents } from "../events/capture.js";
import { scheduleDeployments } from "./scheduler.js";
import type { FromSchedulerThread, SchedulerThreadData, ToSchedulerThread } from "./scheduler-thread-protocol.js";

const port = parentPort!;
const { file, writeTurns } = workerData as SchedulerThreadData;
const send = (message: FromSchedulerThread) => port.postMessage(message);

// The schema is the server's business: it migrated before starting this thread. A 4 MB page
// cache instead of the driver's 16 MB: the server then held 178 MB after a 1,000-deployment
// fill instead of 197-200, the fill as fast (4 s; 10,000: 33.4 s).
const raw = await openDatabase(`sqlite://${file}`, { migrate: false, checkpointsElsewhere: true, threadWriteTurns: writeTurns, pageCacheKib: 4_000 });
// Nobody listens in this thread: the bus only relays each commit's run states to the server's,
// which publishes them as if its own connection had written them.
const bus = new EventBus();
const database = captureEvents(raw, bus);
const relay = (committed: Parameters<NonNullable<EventBus["relay"]>>[0]) => send({ type: "committed", committed });

let passing: Promise<void> = Promise.resolve();
port.on("message", (message: ToSchedulerThread) => {
  if (message.type === "stop") {
    void passing.then(async () => {
      await raw.close();
      send({ type: "stopped" });
      port.close();
    });
    return;
  }
  bus.relay = message.relay ? relay : undefined;
  passing = scheduleDeployments(database, new Date(message.now), (pool) => send({ type: "wake", pool })).then(
    (created) => send({ type: "done", id: message.id, created }),
    (error: Error) => send({ type: "failed", id: message.id, message: error.message, stack: error.stack }),
  );
});
