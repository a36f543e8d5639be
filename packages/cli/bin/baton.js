#!/usr/bin/env node
import module from "node:module";

// Every flow run is a new `baton flow-run execute` process, so start-up is on the path to a run's
// first line: on Node 22.1+ V8 keeps the compiled code of Baton's modules between starts (a
// no-op on Node 20). Enabled before Baton is imported, hence the dynamic import below.
module.enableCompileCache?.();

const { main } = await import("../dist/index.js");
main(process.argv).then(
  (code) => { process.exitCode = code; },
  (error) => { console.error(error); process.exitCode = 1; },
);
