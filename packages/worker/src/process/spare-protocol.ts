/** What a worker hands a spare executor for one run (one JSON line on its stdin). */
export interface SpareRequest {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  umask: number;
}

/** A line the spare cannot take: the worker and the spare disagree, which is a bug, so it says what. */
export class SpareRequestInvalid extends Error {
  constructor(reason: string) {
    super(`SpareRequestInvalid: the worker's request to this spare executor ${reason}; the worker and the spare must come from the same Baton`);
  }
}

/**
 * Checked by hand rather than with zod: the line comes from this process's own worker, and a zod
 * schema built and compiled for one parse cost every warm run ~20 ms of CPU on its path.
 */
export function parseSpareRequest(line: string): SpareRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new SpareRequestInvalid("is not JSON");
  }
  if (!isRecord(value)) throw new SpareRequestInvalid("is not an object");
  const { argv, env, cwd, umask } = value;
  if (!Array.isArray(argv) || argv.length < 2 || !argv.every((a) => typeof a === "string")) throw new SpareRequestInvalid("has no argv of 2 or more strings");
  if (!isRecord(env) || !Object.values(env).every((v) => typeof v === "string")) throw new SpareRequestInvalid("has no env of strings");
  if (typeof cwd !== "string" || cwd === "") throw new SpareRequestInvalid("has no cwd");
  if (typeof umask !== "number" || !Number.isInteger(umask) || umask < 0 || umask > 0o777) throw new SpareRequestInvalid("has no umask from 0 to 0o777");
  return { argv: argv as string[], env: env as Record<string, string>, cwd, umask };
}

export function encodeSpareRequest(request: SpareRequest): string {
  return `${JSON.stringify(request)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
