import { BatonError } from "@baton/core/runtime";

/** Base class of every failure to turn `path/to/file.ts:exportName` into a flow. */
export class EntrypointError extends BatonError {
  override readonly code: string = "EntrypointError";
  override readonly status: number = 400;
}

export class EntrypointInvalid extends EntrypointError {
  override readonly code = "EntrypointInvalid";
  constructor(readonly entrypoint: string, reason: string) {
    super(`EntrypointInvalid: "${entrypoint}" ${reason}; write it as path/to/file.ts:exportName, e.g. flows/etl.ts:etlFlow`);
  }
}

export class EntrypointFileNotFound extends EntrypointError {
  override readonly code = "EntrypointFileNotFound";
  constructor(readonly entrypoint: string, readonly path: string, readonly cwd: string) {
    super(
      `EntrypointFileNotFound: no file at ${path} (from "${entrypoint}", relative to the current folder ${cwd}); ` +
        `check the path, or run baton from the folder it is relative to`,
    );
  }
}

export class EntrypointLoadError extends EntrypointError {
  override readonly code = "EntrypointLoadError";
  constructor(readonly path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`EntrypointLoadError: ${path} failed to load: ${reason}`, { cause });
  }
}

/** Lists the exports that are flows, since the usual cause is a typo or a renamed flow. */
export class FlowExportNotFound extends EntrypointError {
  override readonly code = "FlowExportNotFound";
  constructor(readonly path: string, readonly exportName: string, readonly flowExports: string[]) {
    super(`FlowExportNotFound: ${path} has no export named "${exportName}"; ${describeFlowExports(path, flowExports)}`);
  }
}

export class ExportNotAFlow extends EntrypointError {
  override readonly code = "ExportNotAFlow";
  constructor(readonly path: string, readonly exportName: string, kind: string, readonly flowExports: string[]) {
    super(
      `ExportNotAFlow: "${exportName}" in ${path} is ${kind}, not a flow; wrap the function with flow(): ` +
        `export const ${exportName} = flow({ name: "..." }, async () => { ... }); ${describeFlowExports(path, flowExports)}`,
    );
  }
}

function describeFlowExports(path: string, flowExports: string[]): string {
  if (flowExports.length === 0) return "the file exports no flow";
  return `its flows are: ${flowExports.join(", ")} (e.g. ${path}:${flowExports[0]})`;
}
