import { join } from "node:path";
import { bareCopy, git, makeRepo } from "../helpers/git-repo.js";

export const ETL_FLOW = `import { flow, task, getRunLogger } from "baton";
import { z } from "zod";

const load = task("load", async (items: string[]) => {
  for (const i of items) getRunLogger().info(\`Loaded item: \${i}\`);
  return items.length;
});

export const etlFlow = flow(
  { name: "etl-flow", parameters: z.object({ limit: z.number().int().default(3), uppercase: z.boolean().default(true) }) },
  async ({ limit, uppercase }) => load(["alpha", "beta", "gamma", "delta"].slice(0, limit).map((s) => (uppercase ? s.toUpperCase() : s))),
);

export const slowFlow = flow({ name: "slow-flow", parameters: z.object({ seconds: z.number().default(120) }) }, async ({ seconds }) => {
  getRunLogger().info("slow flow started");
  await new Promise((r) => setTimeout(r, seconds * 1000));
});
`;

/**
 * A checkout as a user has one: flows committed on main, pushed to an "origin" (a bare
 * repository on this machine) with main tracking it. Returns the paths and the pushed commit.
 */
export function makeProject(root: string, files: Record<string, string> = {}): { work: string; origin: string; commit: string } {
  const work = join(root, "work");
  const origin = join(root, "origin.git");
  const commit = makeRepo(work, { "flows/etl.ts": ETL_FLOW, ...files });
  bareCopy(work, origin);
  git(work, "remote", "add", "origin", origin);
  git(work, "fetch", "-q", "origin");
  git(work, "branch", "-q", "--set-upstream-to=origin/main", "main");
  return { work, origin, commit };
}
