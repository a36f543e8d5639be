import { WORK_POOL_TYPES } from "@baton/core";
import { useState, type FormEvent } from "react";
import { call, enc } from "../../api/client";
import { ErrorAlert } from "../../components/ErrorAlert";
import { parseLimit } from "../../lib/limit-input";
import { useAction } from "../../lib/use-action";
import { navigate } from "../../router/router";

/** A new pool with its type's default template; the pool's page is where the template is edited. */
export function CreatePoolForm() {
  const [name, setName] = useState("");
  const [type, setType] = useState<(typeof WORK_POOL_TYPES)[number]>("process");
  const [limit, setLimit] = useState("");
  const [description, setDescription] = useState("");
  const { busy, error, run } = useAction();
  const parsedLimit = parseLimit(limit);
  const limitProblem = "problem" in parsedLimit ? parsedLimit.problem : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!("value" in parsedLimit)) return;
    void run(async () => {
      const body = { name: name.trim(), type, concurrency_limit: parsedLimit.value, ...(description.trim() ? { description: description.trim() } : {}) };
      const created = await call("createWorkPool", { body });
      navigate(`/work-pools/${enc(created.work_pool.name)}`);
    });
  };

  return (
    <form className="inline-form card" onSubmit={submit} aria-label="Create a work pool">
      <div className="field">
        <label htmlFor="pool-name">Pool name</label>
        <input id="pool-name" value={name} onChange={(e) => setName(e.target.value)} required spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="pool-type">Type</label>
        <select id="pool-type" value={type} onChange={(e) => setType(e.target.value as typeof type)}>
          {WORK_POOL_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="pool-limit">Concurrency limit</label>
        <input id="pool-limit" inputMode="numeric" value={limit} onChange={(e) => setLimit(e.target.value)} placeholder="none" aria-invalid={limitProblem ? true : undefined} aria-describedby={limitProblem ? "pool-limit-problem" : undefined} />
        {limitProblem && (
          <p id="pool-limit-problem" className="field-error">
            {limitProblem}
          </p>
        )}
      </div>
      <div className="field grow">
        <label htmlFor="pool-description">Description</label>
        <input id="pool-description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <div className="field actions">
        <button type="submit" disabled={busy || Boolean(limitProblem)}>
          Create pool
        </button>
      </div>
      <ErrorAlert error={error} />
    </form>
  );
}
