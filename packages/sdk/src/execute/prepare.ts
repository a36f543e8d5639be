import { coreSchemas } from "../core-schemas.js";
import { prepareLoader } from "../loader/index.js";

/**
 * Loads, before any run is known, what executing a deployment's run needs and `import "baton"`
 * leaves for later: all of `@baton/core`'s schemas (a run checks its pull steps with them, and
 * reads its settings with theirs: the largest part of a run's start), tsx and the module hooks.
 * A spare executor or a reused one calls it while it waits. None of it reads the environment,
 * the folder or anything else of a run: it only loads code.
 */
export async function prepareExecution(): Promise<void> {
  coreSchemas();
  await prepareLoader();
}
