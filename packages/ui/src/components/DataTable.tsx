import type { ReactNode } from "react";

export interface Column<T> {
  /** The column's heading; read by screen readers only when `hideHeader` (an actions column). */
  header: string;
  hideHeader?: boolean;
  /** The cell of one row; omitted when `row` draws whole rows. */
  cell?: (item: T) => ReactNode;
  className?: string;
}

/**
 * A list as a table, one row an item: the wrapper that scrolls sideways on a narrow screen, the
 * labelled table and its header row, and what to say when there is nothing (`empty`; nothing
 * at all without it). `row` draws a whole row instead of cells, for rows that load their own data.
 */
export function DataTable<T>({ label, columns, items, itemKey, empty, row }: {
  label: string;
  columns: readonly (Column<T> | false)[];
  items: readonly T[];
  itemKey: (item: T) => string;
  empty?: ReactNode;
  row?: (item: T) => ReactNode;
}) {
  if (items.length === 0) return empty ? <p className="muted">{empty}</p> : null;
  const shown = columns.filter((c): c is Column<T> => c !== false);
  return (
    <div className="table-wrap">
      <table aria-label={label}>
        <thead>
          <tr>
            {shown.map((c) => (
              <th scope="col" key={c.header}>
                {c.hideHeader ? <span className="sr-only">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item) =>
            row ? (
              row(item)
            ) : (
              <tr key={itemKey(item)}>
                {shown.map((c) => (
                  <td key={c.header} className={c.className}>
                    {c.cell?.(item)}
                  </td>
                ))}
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
