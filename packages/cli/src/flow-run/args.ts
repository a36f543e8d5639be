import { STATE_NAMES, STATE_TYPES } from "@baton/core/runtime";
import { UsageError } from "../errors.js";
import { isFullId } from "../refs/resolve.js";

/**
 * A full flow run ID (what a worker passes to `flow-run execute`). From @baton/core/runtime only:
 * a run's process loads no zod schema on its way to the flow's first line.
 */
export function parseFlowRunId(id: string): string {
  if (!isFullId(id)) throw new UsageError(`"${id}" is not a flow run ID (a UUID); list runs and their IDs with baton flow-run ls`);
  return id;
}

const NAMES = Object.values(STATE_NAMES) as string[];

/**
 * `--state failed,Late` -> ["FAILED", "Late"]: state types in any case, or the display names
 * that mean something of their own. Anything else is most likely a typo, so it is refused
 * with the list rather than silently matching nothing.
 */
export function parseStateFilter(text: string): string[] {
  const values = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (values.length === 0) throw new UsageError(`--state names no state; use one or more of ${STATE_TYPES.join(", ")} (comma-separated)`);
  return values.map((value) => {
    const type = STATE_TYPES.find((t) => t === value.toUpperCase());
    if (type) return type;
    const name = NAMES.find((n) => n.toLowerCase() === value.toLowerCase());
    if (name) return name;
    throw new UsageError(`--state "${value}" is not a state; use state types (${STATE_TYPES.join(", ")}) or names (${NAMES.join(", ")}), comma-separated`);
  });
}
