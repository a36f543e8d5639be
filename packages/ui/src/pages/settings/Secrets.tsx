import { useState, type FormEvent } from "react";
import { api, enc } from "../../api/client";
import type { Page, Secret } from "../../api/types";
import { useSession } from "../../app/session";
import { Time } from "../../components/Copy";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useAction } from "../../lib/use-action";
import { useApi } from "../../lib/use-api";

/** Secrets by name only: values go in, never come out. */
export function Secrets() {
  const { can } = useSession();
  const secrets = useApi("secrets", () => api.get<Page<Secret>>("/secrets", { limit: 500 }));
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [done, setDone] = useState("");
  const { error, run } = useAction();

  const set = (event: FormEvent) => {
    event.preventDefault();
    setDone("");
    void run(async () => {
      const saved = await api.put<Secret>(`/secrets/${enc(name.trim())}`, { value });
      setDone(`Secret "${saved.name}" saved. Reference it as {{ baton.secrets.${saved.name} }}.`);
      setName("");
      setValue("");
      secrets.reload();
    });
  };

  const remove = (secret: Secret) => {
    if (!window.confirm(`Delete secret "${secret.name}"? Runs that reference it will fail to start.`)) return;
    void run(async () => {
      await api.delete(`/secrets/${enc(secret.name)}`);
      secrets.reload();
    });
  };

  const admin = can("admin");
  return (
    <>
      {admin && (
        <form className="inline-form" onSubmit={set} aria-label="Set secret">
          <div className="field">
            <label htmlFor="secret-name">Secret name</label>
            <input id="secret-name" value={name} onChange={(e) => setName(e.target.value)} required />
          </div>
          <div className="field grow">
            <label htmlFor="secret-value">Secret value</label>
            <input id="secret-value" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} required />
          </div>
          <div className="field actions">
            <button type="submit">Set secret</button>
          </div>
        </form>
      )}
      {done && (
        <p className="ok" role="status">
          {done}
        </p>
      )}
      <ErrorAlert error={error ?? secrets.error} />
      {secrets.data && secrets.data.items.length === 0 && <p className="muted">No secrets.</p>}
      {secrets.data && secrets.data.items.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Secrets">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Updated</th>
                {admin && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {secrets.data.items.map((s) => (
                <tr key={s.name}>
                  <td>
                    <code>{s.name}</code>
                  </td>
                  <td>
                    <Time iso={s.created} copy={false} />
                  </td>
                  <td>
                    <Time iso={s.updated} copy={false} />
                  </td>
                  {admin && (
                    <td>
                      <button type="button" className="danger small" onClick={() => remove(s)} aria-label={`Delete ${s.name}`}>
                        Delete
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
