import { pullStepSchemas, settingDefinitions } from "../core-schemas.js";
import { prepareCompiledLoader } from "../loader/index.js";

/**
 * Loads, before any run is known, what executing a deployment's run needs and `import "baton"`
 * leaves for later: the settings' and the pull steps' schemas (zod; the API's own schemas are
 * not needed to send requests) and "baton" for a CommonJS flow file's `require`. tsx and the
 * module hooks are loaded when a flow file needs them (not for a CommonJS file already in the
 * compile cache, the usual warm run: loader/compiled-commonjs.ts). A spare executor or a reused one
 * calls it while it waits. None of it reads the environment, the folder or anything else of a
 * run: it only loads code.
 */
export async function prepareExecution(): Promise<void> {
  settingDefinitions();
  pullStepSchemas();
  await prepareCompiledLoader();
}
