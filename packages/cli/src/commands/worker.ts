import type { Command } from "commander";
import { WORK_POOL_TYPES } from "@baton/core/runtime";
import type { CommandContext } from "../context.js";
import { collect } from "../flags.js";
import { lazy } from "../lazy.js";

/** What the commands do, loaded only when one of them runs (baton --help stays fast). */
const actions = () => import("../actions/worker.js");

export function registerWorker(program: Command, ctx: CommandContext): void {
  const worker = program.command("worker").description("Workers: claim a pool's flow runs and start them");
  worker
    .command("start")
    .description("Start a worker in the foreground; creates the pool if missing. Ctrl-C stops claiming and waits for running runs; a second Ctrl-C ends them")
    .requiredOption("--pool <pool>", "the work pool to take runs from")
    .option("--queue <queue>", "only these queues of the pool (repeatable; default: all, by priority)", collect)
    .option("--limit <n>", "at most this many runs at once", "10")
    .option("--spares <n>", "process pools: executors kept started with Baton loaded, each taken by one run (0 turns them off)", "1")
    .option("--name <name>", "the worker's name (default: hostname-pid)")
    .option("--allow-env <name>", "an environment variable of this host that {{ $NAME }} in job configurations may read, or a family like APP_* (repeatable; default BATON_WORKER_ALLOW_ENV, else none)", collect)
    .option("--type <type>", `the pool type to create when the pool is missing: ${WORK_POOL_TYPES.join(", ")}`, "process")
    // Docker and Kubernetes runs get none of these unless the host's operator says so here: job variables never decide it.
    .option("--allow-privileged", "let runs have privileged containers and added capabilities (docker, kubernetes)")
    .option("--allow-host-mounts", "let runs mount the host's (node's) files: bind mounts, hostPath volumes, git_ssh_key_path")
    .option("--allow-host-namespaces", "let runs use the host's network, PID or IPC namespaces, or host ports")
    .option("--allow-docker-socket", "let runs mount the container engine's socket (root on the host)")
    .option("--metrics-port <port>", "serve GET /healthz (for liveness probes) and Prometheus GET /metrics on this port (default: BATON_WORKER_METRICS_PORT, else none)")
    .option("--metrics-host <host>", "address of --metrics-port (default: BATON_WORKER_METRICS_HOST, 127.0.0.1; 0.0.0.0 in a pod)")
    .addHelpText("after", "\nExample:\n  baton worker start --pool docker-pool --type docker --limit 4\n  baton worker start --pool k8s --type kubernetes --metrics-port 9464 --metrics-host 0.0.0.0\n  baton worker start --pool gpu --type docker --allow-privileged   # only for a pool whose deployers you trust with root")
    .action(lazy(ctx, actions, "startCommand"));
}
