import { useRef } from "react";
import { moved, newEntry, newRow, removed, replaced, type Draft } from "../../lib/schema-draft";
import { entryPaths, itemPath } from "../../lib/schema-form";
import { elementId, useSchemaContext } from "./context";
import { FieldEditor } from "./FieldEditor";
import type { EditorProps } from "./LeafField";

type ArrayDraft = Extract<Draft, { t: "array" }>;
type DictDraft = Extract<Draft, { t: "dict" }>;

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

/** A list: a row per item, each drawn by the item schema, with add, remove and move up and down. */
export function ArrayRows({ spec, draft, path, onChange }: EditorProps<ArrayDraft>) {
  const { zone } = useSchemaContext();
  const add = useRef<HTMLButtonElement>(null);
  const items = spec.items!;
  const set = (rows: ArrayDraft["rows"]) => onChange({ ...draft, rows, given: true });
  return (
    <>
      {draft.rows.length === 0 && <p className="muted">No items.</p>}
      <ol className="item-rows">
        {draft.rows.map((row, i) => {
          const at = itemPath(path, i);
          return (
            <li key={row.id} className="item-row">
              <div className="item-body">
                <FieldEditor spec={items} draft={row.draft} path={at} label={at} onChange={(next) => set(replaced(draft.rows, i, { ...row, draft: next }))} />
              </div>
              <div className="item-buttons">
                <RowButton text="Up" label={`Move ${at} up`} inactive={i === 0} onClick={() => set(moved(draft.rows, i, i - 1))} />
                <RowButton text="Down" label={`Move ${at} down`} inactive={i === draft.rows.length - 1} onClick={() => set(moved(draft.rows, i, i + 1))} />
                <RowButton
                  text="Remove"
                  label={`Remove ${at}`}
                  onClick={() => {
                    set(removed(draft.rows, i));
                    add.current?.focus();
                  }}
                />
              </div>
            </li>
          );
        })}
      </ol>
      <button ref={add} type="button" className="secondary small" aria-label={`Add item ${itemPath(path, draft.rows.length)}`} onClick={() => set([...draft.rows, newRow(items, zone)])}>
        Add item
      </button>
    </>
  );
}

/** A free-form object: a key and a value per row; values by the schema of its values, if any. */
export function DictRows({ spec, draft, path, onChange }: EditorProps<DictDraft>) {
  const { idPrefix, zone } = useSchemaContext();
  const add = useRef<HTMLButtonElement>(null);
  const values = spec.values!;
  const set = (entries: DictDraft["entries"]) => onChange({ ...draft, entries, given: true });
  const paths = entryPaths(path, draft.entries.map((e) => e.key));
  return (
    <>
      {draft.entries.length === 0 && <p className="muted">No entries.</p>}
      <ol className="item-rows">
        {draft.entries.map((entry, i) => {
          const at = paths[i]!;
          const keyId = `${elementId(idPrefix, itemPath(path, i))}-key`;
          return (
            <li key={entry.id} className="item-row">
              <div className="field item-key">
                <label htmlFor={keyId}>{`${path} key ${i + 1}`}</label>
                <input id={keyId} value={entry.key} spellCheck={false} onChange={(e) => set(replaced(draft.entries, i, { ...entry, key: e.target.value }))} />
              </div>
              <div className="item-body">
                <FieldEditor spec={values} draft={entry.draft} path={at} label={`${path} value ${i + 1}`} onChange={(next) => set(replaced(draft.entries, i, { ...entry, draft: next }))} />
              </div>
              <div className="item-buttons">
                <RowButton
                  text="Remove"
                  label={`Remove ${path} entry ${i + 1}`}
                  onClick={() => {
                    set(removed(draft.entries, i));
                    add.current?.focus();
                  }}
                />
              </div>
            </li>
          );
        })}
      </ol>
      <button ref={add} type="button" className="secondary small" aria-label={`Add entry ${draft.entries.length + 1} to ${path}`} onClick={() => set([...draft.entries, newEntry(values, zone)])}>
        Add entry
      </button>
    </>
  );
}
