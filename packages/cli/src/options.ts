import type { z } from "zod";
import { UsageError } from "./errors.js";

/** Commander gives strings; each command parses its options once, here, into the types it uses. */
export function parseOptions<S extends z.ZodTypeAny>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = issue.path.length ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : "option";
  throw new UsageError(`${flag} ${issue.message}`);
}

/** For repeatable flags: `--param a=1 --param b=2`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
