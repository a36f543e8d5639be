import type { Output } from "./output/io.js";

type Page<T> = { items: T[]; next_cursor: string | null };

/**
 * The first `limit` items of a paged list, asking for no page past them (`--limit` on every
 * list). When there were more, says so on stderr, so a cut list is never mistaken for all of it.
 */
export async function firstItems<T>(out: Output, limit: number, fetch: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  let more = false;
  do {
    const page = await fetch(cursor);
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
    more = items.length > limit || (items.length === limit && cursor !== undefined);
  } while (cursor && items.length < limit);
  if (more) out.note(`Showing the first ${limit}; show more with --limit N`);
  return items.slice(0, limit);
}

/** The same for a list that came whole (one page, or local). */
export function firstOf<T>(out: Output, limit: number, items: T[]): T[] {
  if (items.length > limit) out.note(`Showing the first ${limit} of ${items.length}; show more with --limit N`);
  return items.slice(0, limit);
}
