import type Docker from "dockerode";
import type { AdoptedRun, Infrastructure } from "../infrastructure.js";
import { LABEL_PREFIX } from "./container-spec.js";
import { followOutput } from "./container-output.js";
import { FOLLOW_LABELS, followContainer } from "./follow-container.js";

type AdoptOptions = Parameters<NonNullable<Infrastructure["adopt"]>>[0];

const LABEL = { flowRunId: `${LABEL_PREFIX}flow-run-id`, flowRunName: `${LABEL_PREFIX}flow-run-name`, pool: `${LABEL_PREFIX}work-pool-name`, worker: `${LABEL_PREFIX}worker-name` } as const;

/** States in which a run's container is still the run's: anything else (final, back in Scheduled) is not followed. */
const FOLLOWED_STATES = new Set(["PENDING", "RUNNING", "CANCELLING"]);

/**
 * The running containers of a pool's runs on this engine (found by the labels every run's
 * container carries) whose worker is this one after a restart, or is gone (Offline): each is
 * attached to again and followed as if just launched, so a cancel still stops it and an exit
 * without a final state still marks it Crashed. Containers of a worker that is still Online are
 * its own business.
 */
export async function adoptContainers(docker: Docker, options: AdoptOptions): Promise<AdoptedRun[]> {
  const listed = await docker.listContainers({ filters: { label: [`${LABEL.pool}=${options.pool}`, LABEL.flowRunId], status: ["running"] } });
  const adopted: AdoptedRun[] = [];
  for (const info of listed) {
    const labels = info.Labels ?? {};
    const id = labels[LABEL.flowRunId]!;
    if (options.skip.has(id)) continue;
    const launcher = labels[LABEL.worker] ?? "";
    if (launcher !== options.workerName && !(await options.isWorkerGone(launcher))) continue;
    const run = await options.readRun(id).catch(() => undefined);
    if (!run || !FOLLOWED_STATES.has(run.state_type)) continue;
    const name = labels[LABEL.flowRunName] ?? id;
    const container = docker.getContainer(info.Id);
    const output = await followOutput(docker, container, { streamOutput: labels[FOLLOW_LABELS.streamOutput] === "true", prefix: `[${name}] ` });
    const launched = followContainer(container, output, { autoRemove: labels[FOLLOW_LABELS.autoRemove] !== "false", memoryLimit: labels[FOLLOW_LABELS.memoryLimit] });
    const retries = Number(labels[FOLLOW_LABELS.crashRetries] ?? 0);
    adopted.push({ id, name, crashRetries: Number.isInteger(retries) && retries > 0 ? retries : 0, launched });
  }
  return adopted;
}
