import { useState, type FormEvent } from "react";
import { call } from "../../api/client";
import type { Secret } from "../../api/types";
import { useSession } from "../../session/session";
import { ConfirmButton } from "../../components/ConfirmButton";
import { Time } from "../../components/Copy";
import { DataTable } from "../../components/DataTable";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useAction } from "../../lib/use-action";
import { useApi } from "../../lib/use-api";
import { SecretValueField } from "./SecretValueField";

/** A comma-separated field as a list; empty: not given (the server keeps or defaults the scope). */
const listOf = (text: string): string[] | undefined => {
  const items = text.split(",").map((s) => s.trim()).filter(Boolean);
  return items.length > 0 ? items : undefined;
};

/** Secrets by name and scope: values go in, never come out. */
export function Secrets() {
  const { can } = useSession();
  const secrets = useApi("secrets", () => call("listSecrets", { query: { limit: 500 } }));
  const [name, setName] = useState("");
  const [value, setValue] = useState("");
  const [pools, setPools] = useState("");
  const [deployments, setDeployments] = useState("");
  const [done, setDone] = useState("");
  const { error, run } = useAction();

  const set = (event: FormEvent) => {
    event.preventDefault();
    setDone("");
    void run(async () => {
      const scope = { work_pools: listOf(pools), deployments: listOf(deployments) };
      const saved = await call("setSecret", { params: { name: name.trim() }, body: { value, ...scope } });
      const usable = saved.work_pools.length === 0 ? "No deployment may use it until you give it a scope" : `Usable by pools ${saved.work_pools.join(", ")} and deployments ${saved.deployments.join(", ")}`;
      setDone(`Secret "${saved.name}" saved. ${usable}. Reference it as {{ baton.secrets.${saved.name} }}.`);
      setName("");
      setValue("");
      setPools("");
      setDeployments("");
      secrets.reload();
    });
  };

  const remove = (secret: Secret) => {
    void run(async () => {
      await call("deleteSecret", { params: { name: secret.name } });
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
          <SecretValueField value={value} onChange={setValue} />
          <div className="field">
            <label htmlFor="secret-pools">Work pools (comma-separated, * patterns)</label>
            <input id="secret-pools" value={pools} onChange={(e) => setPools(e.target.value)} placeholder="k8s-pool" />
          </div>
          <div className="field">
            <label htmlFor="secret-deployments">Deployments (flow/name, * patterns)</label>
            <input id="secret-deployments" value={deployments} onChange={(e) => setDeployments(e.target.value)} placeholder="etl/*" />
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
      {secrets.data && (
        <DataTable
          label="Secrets"
          items={secrets.data.items}
          itemKey={(s) => s.name}
          empty="No secrets."
          columns={[
            { header: "Name", cell: (s) => <code>{s.name}</code> },
            { header: "Work pools", cell: (s) => s.work_pools.join(", ") || <span className="muted">none</span> },
            { header: "Deployments", cell: (s) => s.deployments.join(", ") || <span className="muted">none</span> },
            { header: "Created", cell: (s) => <Time iso={s.created} copy={false} /> },
            { header: "Updated", cell: (s) => <Time iso={s.updated} copy={false} /> },
            admin && {
              header: "Actions",
              hideHeader: true,
              cell: (s) => <ConfirmButton label="Delete" ariaLabel={`Delete ${s.name}`} question={`Delete secret "${s.name}"? Runs that reference it will fail to start.`} onConfirm={() => remove(s)} />,
            },
          ]}
        />
      )}
    </>
  );
}
