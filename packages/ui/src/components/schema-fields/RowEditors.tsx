import { useRef, type ComponentType, type ReactNode } from "react";
import { moved, newEntry, newRow, removed, replaced, type Draft, type Row } from "../../lib/schema-draft";
import { entryPaths, itemPath } from "../../lib/schema-form";
import { elementId, useSchemaContext } from "./context";
import type { EditorProps } from "./LeafField";

type ArrayDraft = Extract<Draft, { t: "array" }>;
type DictDraft = Extract<Draft, { t: "dict" }>;
/** The editor of a row's value, passed in by FieldEditor (which draws these rows): no import circle. */
type RowProps<D extends Draft> = EditorProps<D> & { Field: ComponentType<EditorProps> };

/**
 * A button that stays focusable when it cannot act (aria-disabled, not disabled): after "Move up"
 * takes a row to the top, the focus stays on its button instead of falling to the page.
 */
function RowButton({ label, text, inactive, onClick }: { label: string; text: string; inactive?: boolean; onClick: () => void }) {
  return (
    <button type="button" className="secondary small" aria-label={label} aria-disabled={inactive ? true : undefined} onClick={() => !inactive && onClick()}>
      {text}
    </button>
  );
}

/**
 * Rows of a list or a free-form object, with remove (the focus goes to "Add", which stays), add,
 * and, for a list, move up and down. `name(i)` names row i in its buttons' labels.
 */
function Rows<R extends Row>({ rows, empty, set, name, add, render, movable }: {
  rows: R[];
  empty: string;
  set: (rows: R[]) => void;
  name: (i: number) => string;
  add: { text: string; label: string; row: () => R };
  render: (row: R, i: number) => ReactNode;
  movable?: boolean;
}) {
  const addButton = useRef<HTMLButtonElement>(null);
  return (
    <>
      {rows.length === 0 && <p className="muted">{empty}</p>}
      <ol className="item-rows">
        {rows.map((row, i) => (
          <li key={row.id} className="item-row">
            {render(row, i)}
            <div className="item-buttons">
              {movable && <RowButton text="Up" label={`Move ${name(i)} up`} inactive={i === 0} onClick={() => set(moved(rows, i, i - 1))} />}
              {movable && <RowButton text="Down" label={`Move ${name(i)} down`} inactive={i === rows.length - 1} onClick={() => set(moved(rows, i, i + 1))} />}
              <RowButton
                text="Remove"
                label={`Remove ${name(i)}`}
                onClick={() => {
                  set(removed(rows, i));
                  addButton.current?.focus();
                }}
              />
            </div>
          </li>
        ))}
      </ol>
      <button ref={addButton} type="button" className="secondary small" aria-label={add.label} onClick={() => set([...rows, add.row()])}>
        {add.text}
      </button>
    </>
  );
}

/** A list: a row per item, each drawn by the item schema, with add, remove and move up and down. */
export function ArrayRows({ spec, draft, path, onChange, Field }: RowProps<ArrayDraft>) {
  const { zone } = useSchemaContext();
  const items = spec.items!;
  return (
    <Rows
      rows={draft.rows}
      empty="No items."
      set={(rows) => onChange({ ...draft, rows, given: true })}
      name={(i) => itemPath(path, i)}
      movable
      add={{ text: "Add item", label: `Add item ${itemPath(path, draft.rows.length)}`, row: () => newRow(items, zone) }}
      render={(row, i) => (
        <div className="item-body">
          <Field spec={items} draft={row.draft} path={itemPath(path, i)} label={itemPath(path, i)} onChange={(next) => onChange({ ...draft, given: true, rows: replaced(draft.rows, i, { ...row, draft: next }) })} />
        </div>
      )}
    />
  );
}

/** A free-form object: a key and a value per row; values by the schema of its values, if any. */
export function DictRows({ spec, draft, path, onChange, Field }: RowProps<DictDraft>) {
  const { idPrefix, zone } = useSchemaContext();
  const values = spec.values!;
  const set = (entries: DictDraft["entries"]) => onChange({ ...draft, entries, given: true });
  const paths = entryPaths(path, draft.entries.map((e) => e.key));
  return (
    <Rows
      rows={draft.entries}
      empty="No entries."
      set={set}
      name={(i) => `${path} entry ${i + 1}`}
      add={{ text: "Add entry", label: `Add entry ${draft.entries.length + 1} to ${path}`, row: () => newEntry(values, zone) }}
      render={(entry, i) => {
        const keyId = `${elementId(idPrefix, itemPath(path, i))}-key`;
        return (
          <>
            <div className="field item-key">
              <label htmlFor={keyId}>{`${path} key ${i + 1}`}</label>
              <input id={keyId} value={entry.key} spellCheck={false} onChange={(e) => set(replaced(draft.entries, i, { ...entry, key: e.target.value }))} />
            </div>
            <div className="item-body">
              <Field spec={values} draft={entry.draft} path={paths[i]!} label={`${path} value ${i + 1}`} onChange={(next) => set(replaced(draft.entries, i, { ...entry, draft: next }))} />
            </div>
          </>
        );
      }}
    />
  );
}
