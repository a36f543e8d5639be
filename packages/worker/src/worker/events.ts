import type { RunExit } from "../infrastructure.js";

/** What a worker tells its caller (the CLI prints these). */
export type WorkerEvent =
  | { type: "pool-created"; pool: string; poolType: string }
  /** `metricsUrl`: where /healthz and /metrics are served, when asked for. */
  | { type: "started"; pool: string; workerName: string; limit: number; metricsUrl?: string }
  | { type: "launched"; flowRunId: string; flowRunName: string }
  /** Found still running after a restart, and followed again. */
  | { type: "reattached"; flowRunId: string; flowRunName: string }
  | { type: "exited"; flowRunId: string; flowRunName: string; exit: RunExit }
  | { type: "crashed"; flowRunId: string; flowRunName: string; message: string }
  /** Its container or pod was lost and the pool's crash_retries sent it back to Scheduled. */
  | { type: "rescheduled"; flowRunId: string; flowRunName: string; message: string }
  | { type: "cancelling"; flowRunId: string; flowRunName: string }
  /** Its flow called suspendFlowRun: the process ended on purpose, and a worker runs it again once resumed. */
  | { type: "suspended"; flowRunId: string; flowRunName: string }
  | { type: "cancelled"; flowRunId: string; flowRunName: string }
  | { type: "error"; message: string; error: unknown }
  | { type: "stopping"; running: number; terminate: boolean }
  | { type: "stopped" };
