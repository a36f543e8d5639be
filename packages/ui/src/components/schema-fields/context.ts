import { createContext, useContext } from "react";

/** What every editor of one schema form shares: its ids' prefix, its problems, the display zone. */
export interface SchemaFormContext {
  /** A prefix for element ids: two schema forms on one page must not share ids. */
  idPrefix: string;
  /** The problem to show at a path (none before the first try to send). */
  error: (path: string) => string | undefined;
  /** undefined: the viewer's local zone. */
  zone: string | undefined;
}

export const SchemaContext = createContext<SchemaFormContext>({ idPrefix: "param", error: () => undefined, zone: undefined });

export const useSchemaContext = () => useContext(SchemaContext);

/** An element id from a path (`items[2].name` -> `param-items_2__name`). */
export const elementId = (prefix: string, path: string) => `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, "_") || "all"}`;
