import { z } from "zod";

/** What a worker hands a spare executor for one run (one JSON line on its stdin). */
const SpareRequest = z.object({
  argv: z.array(z.string()).min(2),
  env: z.record(z.string(), z.string()),
  cwd: z.string().min(1),
  umask: z.number().int().min(0).max(0o777),
});
export type SpareRequest = z.infer<typeof SpareRequest>;

export function parseSpareRequest(line: string): SpareRequest {
  return SpareRequest.parse(JSON.parse(line));
}

export function encodeSpareRequest(request: SpareRequest): string {
  return `${JSON.stringify(request)}\n`;
}
