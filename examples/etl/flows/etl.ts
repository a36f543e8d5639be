import { flow, task, getRunLogger } from "baton";
import { z } from "zod";

// Retried twice, after 1 s then 5 s: sources are flaky, transformations are not.
const extract = task({ name: "extract", retries: 2, retryDelaySeconds: [1, 5] }, async () => ["alpha", "beta", "gamma", "delta"]);

const transform = task("transform", async (items: string[], uppercase: boolean) =>
  uppercase ? items.map((s) => s.toUpperCase()) : items,
);

const load = task("load", async (items: string[]) => {
  for (const i of items) getRunLogger().info(`Loaded item: ${i}`);
  return items.length;
});

export const etlFlow = flow(
  {
    name: "etl-flow",
    parameters: z.object({ limit: z.number().int().default(3), uppercase: z.boolean().default(true) }),
  },
  async ({ limit, uppercase }) => {
    const data = await transform(await extract(), uppercase);
    return load(data.slice(0, limit));
  },
);
