import { useState, type FormEvent } from "react";
import { call } from "../../api/client";
import type { ApiKey, ApiKeyCreated, Role } from "../../api/types";
import { ConfirmButton } from "../../components/ConfirmButton";
import { CopyButton, Time } from "../../components/Copy";
import { DataTable } from "../../components/DataTable";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useAction } from "../../lib/use-action";
import { useApi } from "../../lib/use-api";

const ROLES: Role[] = ["viewer", "deployer", "worker", "admin"];

/** API keys: create (the key is shown this once), list, revoke. Admins only. */
export function ApiKeys() {
  const keys = useApi("keys", () => call("listApiKeys", { query: { limit: 500 } }));
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [days, setDays] = useState("");
  const [pools, setPools] = useState("");
  const [deployments, setDeployments] = useState("");
  const scope = keyScope(pools, deployments);
  const [created, setCreated] = useState<ApiKeyCreated>();
  const { error, run } = useAction();

  const create = (event: FormEvent) => {
    event.preventDefault();
    setCreated(undefined);
    if (scope.problem) return;
    void run(async () => {
      const expires = days.trim() ? { expires_in_seconds: Math.round(Number(days) * 86_400) } : {};
      setCreated(await call("createApiKey", { body: { name: name.trim(), role, ...expires, ...scope.body } }));
      setName("");
      setPools("");
      setDeployments("");
      keys.reload();
    });
  };

  const revoke = (key: ApiKey) => {
    void run(async () => {
      await call("revokeApiKey", { params: { name: key.name } });
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
        <div className="field">
          <label htmlFor="key-pools">Only work pools</label>
          <input id="key-pools" value={pools} onChange={(e) => setPools(e.target.value)} placeholder="any (comma-separated)" aria-describedby="key-scope-hint" />
        </div>
        <div className="field">
          <label htmlFor="key-deployments">Only deployments</label>
          <input
            id="key-deployments"
            value={deployments}
            onChange={(e) => setDeployments(e.target.value)}
            placeholder="any (flow/deployment, comma-separated)"
            aria-invalid={scope.problem ? true : undefined}
            aria-describedby={scope.problem ? "key-scope-problem" : "key-scope-hint"}
          />
          {scope.problem && (
            <p className="field-error" id="key-scope-problem">
              {scope.problem}
            </p>
          )}
        </div>
        <p className="hint" id="key-scope-hint">
          A key limited to pools or deployments acts only on those (claims, heartbeats, runs); empty: any.
        </p>
        <div className="field actions">
          <button type="submit" disabled={Boolean(scope.problem)}>
            Create API key
          </button>
        </div>
      </form>
      {created && (
        <div className="card new-key" role="status">
          <p>
            API key <strong>{created.name}</strong> ({created.role}, {scopeText(created)}). Copy it now: it is not shown again.
          </p>
          <code aria-label="New API key">{created.key}</code>
          <CopyButton text={created.key} what="API key" />
        </div>
      )}
      <ErrorAlert error={error ?? keys.error} />
      {keys.data && (
        <DataTable
          label="API keys"
          items={keys.data.items}
          itemKey={(k) => k.id}
          empty="No API keys."
          columns={[
            { header: "Name", cell: (k) => k.name },
            { header: "Role", cell: (k) => k.role },
            { header: "Scope", cell: (k) => scopeText(k) },
            { header: "Prefix", cell: (k) => <code>{k.prefix}…</code> },
            { header: "Created", cell: (k) => <Time iso={k.created} copy={false} /> },
            { header: "Last used", cell: (k) => <Time iso={k.last_used} copy={false} /> },
            { header: "Expires", cell: (k) => (k.revoked ? <span className="tag warn">revoked</span> : <Time iso={k.expires} copy={false} />) },
            {
              header: "Actions",
              hideHeader: true,
              cell: (k) => !k.revoked && <ConfirmButton label="Revoke" ariaLabel={`Revoke ${k.name}`} question={`Revoke API key "${k.name}"? Anything using it stops working at once.`} onConfirm={() => revoke(k)} />,
            },
          ]}
        />
      )}
    </>
  );
}

const list = (text: string) => [...new Set(text.split(",").map((t) => t.trim()).filter(Boolean))];

/** The create form's scope fields as the API takes them, checked as typed (deployments are `flow/deployment`). */
export function keyScope(pools: string, deployments: string): { body: { work_pools?: string[]; deployments?: string[] }; problem?: string } {
  const poolList = list(pools);
  const deploymentList = list(deployments);
  const bad = deploymentList.find((d) => !/^[^/]+\/[^/]+$/.test(d));
  return {
    body: { ...(poolList.length > 0 ? { work_pools: poolList } : {}), ...(deploymentList.length > 0 ? { deployments: deploymentList } : {}) },
    problem: bad ? `"${bad}" is not flow/deployment (e.g. etl/nightly)` : undefined,
  };
}

/** What a key may act on, in words: `any pool or deployment`, `pools gpu, cpu; deployments etl/nightly`. */
export function scopeText(key: Pick<ApiKey, "work_pools" | "deployments">): string {
  const parts = [key.work_pools?.length ? `pools ${key.work_pools.join(", ")}` : "", key.deployments?.length ? `deployments ${key.deployments.join(", ")}` : ""].filter(Boolean);
  return parts.length > 0 ? `only ${parts.join("; ")}` : "any pool or deployment";
}
