// bench/e2e's serve phase: the 3-task flow served by `flow.serve()` in this process (its runs
// run here, no worker). BENCH_SERVE_NAME names the deployment; ends on SIGTERM.
import { flow, task } from "baton";

const step = task({ name: "step" }, async (i) => i + 1);
const three = flow({ name: "three-tasks" }, async () => {
  let n = 0;
  for (let i = 0; i < 3; i++) n = await step(n);
  return n;
});
await three.serve({ name: process.env.BENCH_SERVE_NAME ?? "serve-bench", limit: Number(process.env.BENCH_BURST ?? 50) });
