import { useState, type FormEvent } from "react";
import type { ConcurrencyLimit } from "@baton/core";
import { call } from "../../api/client";
import { Time } from "../../components/Copy";
import { ErrorAlert, Loading } from "../../components/ErrorAlert";
import { checkDecay, checkLimit, tagOf } from "../../lib/concurrency-form";
import { useAction } from "../../lib/use-action";
import type { Loaded } from "../../lib/use-api";
import { LimitField } from "./CreateLimitForm";

/** What a limit holds back, in words: a tag limit counts task runs, the others what flows take. */
export function limitKind(limit: ConcurrencyLimit): string {
  const tag = tagOf(limit.name);
  if (tag !== undefined) return `Task runs tagged ${tag}`;
  return limit.slot_decay_per_second > 0 ? "Rate limit" : "Concurrency";
}

export const slotsText = (limit: ConcurrencyLimit) => `${limit.active_slots} of ${limit.limit}`;

/** One limit inspected: its slots in use now, and (for deployers) its limit, decay and on/off changed. */
export function LimitDetail({ loaded, deployer, onSaved, onClose }: { loaded: Loaded<ConcurrencyLimit>; deployer: boolean; onSaved: (message: string) => void; onClose: () => void }) {
  const limit = loaded.data;
  return (
    <section className="card" aria-label="Limit details">
      {!limit && !loaded.error && <Loading what="the limit" />}
      <ErrorAlert error={loaded.error} />
      {limit && (
        <>
          <h2>
            <code>{limit.name}</code>
          </h2>
          <dl className="facts">
            <dt>Limits</dt>
            <dd>{limitKind(limit)}</dd>
            <dt>Slots in use</dt>
            <dd>
              <meter min={0} max={Math.max(limit.limit, 1)} value={Math.min(limit.active_slots, limit.limit)} aria-label={`Slots in use of ${limit.name}`} /> {slotsText(limit)}
            </dd>
            <dt>Slot decay</dt>
            <dd>{limit.slot_decay_per_second > 0 ? `${limit.slot_decay_per_second} per second` : "none: slots come back when released"}</dd>
            <dt>Active</dt>
            <dd>{limit.active ? "yes" : "no: not enforced"}</dd>
            <dt>Updated</dt>
            <dd>
              <Time iso={limit.updated} copy={false} />
            </dd>
          </dl>
          {deployer && <EditLimit key={limit.updated} limit={limit} onSaved={onSaved} />}
        </>
      )}
      <div className="buttons">
        <button type="button" className="secondary" onClick={onClose}>
          Close
        </button>
      </div>
    </section>
  );
}

function EditLimit({ limit, onSaved }: { limit: ConcurrencyLimit; onSaved: (message: string) => void }) {
  const [value, setValue] = useState(String(limit.limit));
  const [decay, setDecay] = useState(limit.slot_decay_per_second > 0 ? String(limit.slot_decay_per_second) : "");
  const [active, setActive] = useState(limit.active);
  const { busy, error, run } = useAction();
  const tag = tagOf(limit.name) !== undefined;
  const limitProblem = checkLimit(value);
  const decayProblem = tag ? undefined : checkDecay(decay);

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (limitProblem || decayProblem) return;
    const body = { limit: Number(value.trim()), active, ...(tag ? {} : { slot_decay_per_second: decay.trim() === "" ? 0 : Number(decay.trim()) }) };
    void run(async () => {
      await call("updateConcurrencyLimit", { params: { name: limit.name }, body });
      onSaved(`Limit "${limit.name}" saved.`);
    });
  };

  return (
    <form onSubmit={save} aria-label={`Edit ${limit.name}`} noValidate>
      <div className="row">
        <LimitField id="edit-limit" label="Limit (slots)" inputMode="numeric" value={value} problem={limitProblem} onChange={setValue} />
        {!tag && <LimitField id="edit-decay" label="Slot decay per second" inputMode="decimal" value={decay} problem={decayProblem} onChange={setDecay} />}
      </div>
      <label className="check-inline">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> Active (enforced)
      </label>
      <ErrorAlert error={error} />
      <div className="buttons">
        <button type="submit" disabled={busy || Boolean(limitProblem || decayProblem)}>
          Save limit
        </button>
      </div>
    </form>
  );
}
