/**
 * The concurrency limit form as typed, checked by the server's rules (core's api/concurrency.ts)
 * before it is sent, so a mistake is named beside its field instead of coming back as a 400.
 */

/** A global limit (held by `concurrency()` / `rateLimit()` in flows), or one on task runs with a tag. */
export type LimitKind = "global" | "tag";

export interface LimitDraft {
  kind: LimitKind;
  /** The limit's name, or the tag for a tag limit (the name is then `tag:<tag>`). */
  name: string;
  limit: string;
  /** Slots per second that come back after `rateLimit()` took them; empty is 0 (only on release). */
  decay: string;
}

export const TAG_PREFIX = "tag:";
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const MAX = 1_000_000;

export type FieldProblems = Partial<Record<"name" | "limit" | "decay", string>>;

/** `tag:etl` → "etl"; other names → undefined. */
export function tagOf(name: string): string | undefined {
  return name.startsWith(TAG_PREFIX) ? name.slice(TAG_PREFIX.length) : undefined;
}

export function checkLimit(text: string): string | undefined {
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(n) || n < 0 || n > MAX) return "Limit: a whole number of slots from 0 to 1,000,000 (0 lets nothing run)";
  return undefined;
}

export function checkDecay(text: string): string | undefined {
  if (text.trim() === "") return undefined;
  const n = Number(text.trim());
  if (!Number.isFinite(n) || n < 0 || n > MAX) return "Slot decay: slots per second from 0 to 1,000,000 (e.g. 0.5), or empty for none";
  return undefined;
}

export function checkName(kind: LimitKind, text: string): string | undefined {
  const name = text.trim();
  const field = kind === "tag" ? "Tag" : "Name";
  if (name === "") return `${field}: required`;
  if (kind === "global" && name.startsWith(TAG_PREFIX)) return "Name: for a limit on a tag, choose “Task runs with a tag” and type the tag alone";
  if (!NAME.test(name)) return `${field}: use letters, digits, '.', '-' and '_', starting with a letter or digit`;
  if ((kind === "tag" ? TAG_PREFIX.length : 0) + name.length > 140) return `${field}: at most ${kind === "tag" ? 136 : 140} characters`;
  return undefined;
}

/** The create body, or what is wrong with each field. */
export function createBody(draft: LimitDraft): { body: { name: string; limit: number; slot_decay_per_second: number } } | { problems: FieldProblems } {
  const problems: FieldProblems = {};
  const name = checkName(draft.kind, draft.name);
  const limit = checkLimit(draft.limit);
  const decay = draft.kind === "global" ? checkDecay(draft.decay) : undefined;
  if (name) problems.name = name;
  if (limit) problems.limit = limit;
  if (decay) problems.decay = decay;
  if (name || limit || decay) return { problems };
  const trimmed = draft.name.trim();
  return {
    body: {
      name: draft.kind === "tag" ? `${TAG_PREFIX}${trimmed}` : trimmed,
      limit: Number(draft.limit.trim()),
      slot_decay_per_second: draft.kind === "global" && draft.decay.trim() !== "" ? Number(draft.decay.trim()) : 0,
    },
  };
}
