import { useState, type FormEvent } from "react";
import { api, enc } from "../../api/client";
import type { ApiKey, ApiKeyCreated, Page, Role } from "../../api/types";
import { CopyButton, Time } from "../../components/Copy";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useAction } from "../../lib/use-action";
import { useApi } from "../../lib/use-api";

const ROLES: Role[] = ["viewer", "deployer", "worker", "admin"];

/** API keys: create (the key is shown this once), list, revoke. Admins only. */
export function ApiKeys() {
  const keys = useApi("keys", () => api.get<Page<ApiKey>>("/api_keys", { limit: 500 }));
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [days, setDays] = useState("");
  const [created, setCreated] = useState<ApiKeyCreated>();
  const { error, run } = useAction();

  const create = (event: FormEvent) => {
    event.preventDefault();
    setCreated(undefined);
    void run(async () => {
      const body: Record<string, unknown> = { name: name.trim(), role };
      if (days.trim()) body.expires_in_seconds = Math.round(Number(days) * 86_400);
      setCreated(await api.post<ApiKeyCreated>("/api_keys", body));
      setName("");
      keys.reload();
    });
  };

  const revoke = (key: ApiKey) => {
    if (!window.confirm(`Revoke API key "${key.name}"? Anything using it stops working at once.`)) return;
    void run(async () => {
      await api.delete(`/api_keys/${enc(key.name)}`);
      keys.reload();
    });
  };

  return (
    <>
      <form className="inline-form" onSubmit={create} aria-label="Create API key">
        <div className="field">
          <label htmlFor="key-name">Key name</label>
          <input id="key-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="key-role">Role</label>
          <select id="key-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="key-days">Expires in days</label>
          <input id="key-days" inputMode="numeric" value={days} onChange={(e) => setDays(e.target.value)} placeholder="never" />
        </div>
        <div className="field actions">
          <button type="submit">Create API key</button>
        </div>
      </form>
      {created && (
        <div className="card new-key" role="status">
          <p>
            API key <strong>{created.name}</strong> ({created.role}). Copy it now: it is not shown again.
          </p>
          <code aria-label="New API key">{created.key}</code>
          <CopyButton text={created.key} what="API key" />
        </div>
      )}
      <ErrorAlert error={error ?? keys.error} />
      {keys.data && keys.data.items.length === 0 && <p className="muted">No API keys.</p>}
      {keys.data && keys.data.items.length > 0 && (
        <div className="table-wrap">
          <table aria-label="API keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>{k.role}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>
                    <Time iso={k.created} copy={false} />
                  </td>
                  <td>
                    <Time iso={k.last_used} copy={false} />
                  </td>
                  <td>{k.revoked ? <span className="tag warn">revoked</span> : <Time iso={k.expires} copy={false} />}</td>
                  <td>
                    {!k.revoked && (
                      <button type="button" className="danger small" onClick={() => revoke(k)} aria-label={`Revoke ${k.name}`}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
