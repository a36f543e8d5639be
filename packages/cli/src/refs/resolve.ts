import { BatonError } from "@baton/core/runtime";

/** A reference that names more than one thing: the message lists them, to pick one by more of its ID. */
export class AmbiguousReference extends BatonError {
  override readonly code = "AmbiguousReference";
  override readonly status = 409;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_PREFIX = /^[0-9a-f-]{8,35}$/i;
/** Asked for one more than is shown, to say "and more". */
export const MATCHES_SHOWN = 10;

export interface RefMatch {
  id: string;
  /** How the thing is shown in the list of an ambiguous reference: its ID and what tells it apart. */
  label: string;
}

export interface RefLookup {
  /** "flow run", "deployment", "work pool". */
  what: string;
  /** At most MATCHES_SHOWN + 1 whose ID starts with `prefix` (lower case). */
  byIdPrefix(prefix: string): Promise<RefMatch[]>;
  /** At most MATCHES_SHOWN + 1 with this name. */
  byName(name: string): Promise<RefMatch[]>;
  /** The error when nothing matches. */
  notFound(ref: string): Error;
}

export const isFullId = (ref: string): boolean => UUID.test(ref);

/**
 * A run, deployment or pool as a user gives it: its full ID (taken as is), a unique ID prefix of
 * at least 8 characters, or its name. Several matches are an error that lists them.
 */
export async function resolveRef(ref: string, lookup: RefLookup): Promise<string> {
  if (isFullId(ref)) return ref.toLowerCase();
  const byPrefix = ID_PREFIX.test(ref) ? await lookup.byIdPrefix(ref.toLowerCase()) : [];
  const matches = byPrefix.length > 0 ? byPrefix : await lookup.byName(ref);
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0) throw lookup.notFound(ref);
  const shown = matches.slice(0, MATCHES_SHOWN).map((m) => `  ${m.label}`);
  const more = matches.length > MATCHES_SHOWN ? "\n  ... and more" : "";
  const how = byPrefix.length > 0 ? "more characters of the ID" : "the full ID (or a longer prefix)";
  throw new AmbiguousReference(`AmbiguousReference: "${ref}" matches ${matches.length > MATCHES_SHOWN ? "more than " + MATCHES_SHOWN : matches.length} ${lookup.what}s; give ${how}:\n${shown.join("\n")}${more}`);
}
