/**
 * Rules for names a flow file gives at import time (flow names, tags), kept free of zod so the SDK
 * can check them without loading the API schemas (issue 14: loading Baton is cheap). The zod
 * schemas of the API (FlowNameSchema, TagsSchema) are built from these same rules.
 */
export const FLOW_NAME_MAX_LENGTH = 200;
export const FLOW_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.\- ]*$/;
export const FLOW_NAME_HINT = "use letters, digits, spaces, '-', '_' and '.', starting with a letter or digit";
export const MAX_TAGS = 64;
export const MAX_TAG_LENGTH = 128;

/** Why `name` is not a valid flow name, or undefined when it is. */
export function flowNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return "must be a string";
  if (name.length === 0) return "must not be empty";
  if (name.length > FLOW_NAME_MAX_LENGTH) return `must be at most ${FLOW_NAME_MAX_LENGTH} characters`;
  return FLOW_NAME_PATTERN.test(name) ? undefined : FLOW_NAME_HINT;
}

/** Whether `tags` is a list of at most 64 non-empty strings of at most 128 characters. */
export function areValidTags(tags: unknown): boolean {
  return Array.isArray(tags) && tags.length <= MAX_TAGS
    && tags.every((t) => typeof t === "string" && t.length >= 1 && t.length <= MAX_TAG_LENGTH);
}

/** The entrypoint of a deployment served by `flow.serve()` from a file Baton could not tell: its runs happen in that process only. */
export const SERVE_ENTRYPOINT = "<serve>";
