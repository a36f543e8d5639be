#!/usr/bin/env node
import module from "node:module";

// Every flow run is a new `baton flow-run execute` process, so start-up is on the path to a run's
// first line: on Node 22.1+ V8 keeps the compiled code of Baton's modules between starts (a
// no-op on Node 20). Enabled before Baton is imported, hence the dynamic import below.
module.enableCompileCache?.();

// kubernetes-models 4 (the version that runs on Node 20) checks Jobs with ajv-formats-draft2019,
// which loads Node's deprecated `punycode` module: on Node 22+ every command that checks a Job
// (baton deploy, preview, a Kubernetes worker) printed a DeprecationWarning about code Baton does
// not call. Only that one warning is dropped; every other warning prints as Node prints it.
const [printWarning] = process.listeners("warning");
if (printWarning) {
  process.removeListener("warning", printWarning);
  process.on("warning", (warning) => {
    if (warning.code !== "DEP0040") printWarning(warning);
  });
}

const { main } = await import("../dist/index.js");
main(process.argv).then(
  (code) => { process.exitCode = code; },
  (error) => { console.error(error); process.exitCode = 1; },
);
