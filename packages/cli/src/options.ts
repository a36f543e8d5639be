import { z } from "zod";
import { UsageError } from "./errors.js";

/** Commander gives strings; each command parses its options once, here, into the types it uses. */
export function parseOptions<S extends z.ZodTypeAny>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = issue.path.length ? `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : "option";
  throw new UsageError(`${flag} ${issue.message}`);
}

/** `--limit N` on a list: a whole number from 1 to 10000, with the list's own default. */
export function limitOption(defaultValue: number) {
  return z.coerce.number({ message: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(10_000, "must be at most 10000").default(defaultValue);
}

/** `--limit N` on a list of things (pools, secrets, ...): few enough to fit, so the default shows them all but a runaway. */
export const listLimitOption = () => limitOption(200);
