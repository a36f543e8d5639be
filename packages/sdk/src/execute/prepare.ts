import { coreSchemas } from "../core-schemas.js";
import { prepareLoader } from "../loader/index.js";

/**
 * Loads, before any run is known, what executing every run needs and `import "baton"` leaves
 * for later: the API's route table and the settings' schemas (the first API call and the first
 * setting read load all of `@baton/core`, the largest part of a run's start), tsx and the module
 * hooks. A spare executor or a reused one calls it while it waits. None of it reads the
 * environment, the folder or anything else of a run: it only loads code.
 */
export async function prepareExecution(): Promise<void> {
  coreSchemas();
  await prepareLoader();
}
