import { useState, type FormEvent } from "react";
import { call } from "../api/client";
import { Time } from "../components/Copy";
import { DataTable } from "../components/DataTable";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { useApi } from "../lib/use-api";
import { navigate, useLocation } from "../router/router";

const PAGE = 100;

/** Who changed what, newest first (admins only, as the route): filter by actor or action, a page at a time. */
export function AuditPage() {
  const { query } = useLocation();
  const actor = query.get("actor") ?? "";
  const action = query.get("action") ?? "";
  const cursor = query.get("cursor") ?? "";
  const apiQuery = { limit: PAGE, ...(actor ? { actor } : {}), ...(action ? { action } : {}), ...(cursor ? { cursor } : {}) };
  const entries = useApi(JSON.stringify(apiQuery), () => call("listAudit", { query: apiQuery }));
  const go = (next: { actor?: string; action?: string; cursor?: string }) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ actor, action, ...next })) if (value) params.set(key, value);
    const text = params.toString();
    navigate(`/audit${text ? `?${text}` : ""}`);
  };
  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">Every change made through the API, by whom. What runs do on their own (states, logs, heartbeats) is in the runs themselves.</p>
      <AuditFilters key={`${actor}|${action}`} actor={actor} action={action} onApply={(f) => go({ ...f, cursor: "" })} />
      <ErrorAlert error={entries.error} />
      {!entries.data && !entries.error && <Loading what="the audit log" />}
      {entries.data && (
        <DataTable
          label="Audit log"
          items={entries.data.items}
          itemKey={(e) => e.id}
          empty="Nothing recorded."
          columns={[
            { header: "Time", cell: (e) => <Time iso={e.time} copy={false} /> },
            { header: "Actor", cell: (e) => e.actor },
            { header: "Role", cell: (e) => e.role ?? <span className="muted">–</span> },
            { header: "Action", cell: (e) => <code>{e.action}</code> },
            { header: "Object", cell: (e) => e.object },
            { header: "Status", className: "num", cell: (e) => <span className={e.status >= 400 ? "field-error" : undefined}>{e.status}</span> },
            { header: "Address", cell: (e) => e.address ?? <span className="muted">–</span> },
          ]}
        />
      )}
      <div className="pager">
        {cursor && (
          <button type="button" className="secondary" onClick={() => go({ cursor: "" })}>
            First page
          </button>
        )}
        {entries.data?.next_cursor && (
          <button type="button" className="secondary" onClick={() => go({ cursor: entries.data?.next_cursor ?? "" })}>
            Next page
          </button>
        )}
      </div>
    </>
  );
}

function AuditFilters({ actor, action, onApply }: { actor: string; action: string; onApply: (f: { actor: string; action: string }) => void }) {
  const [draft, setDraft] = useState({ actor, action });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ actor: draft.actor.trim(), action: draft.action.trim() });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Audit filters">
      <div className="field">
        <label htmlFor="audit-actor">Actor</label>
        <input id="audit-actor" value={draft.actor} placeholder="key name" onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="audit-action">Action</label>
        <input id="audit-action" value={draft.action} placeholder="upsertDeployment" onChange={(e) => setDraft({ ...draft, action: e.target.value })} />
      </div>
      <div className="field actions">
        <button type="submit">Apply filters</button>
      </div>
    </form>
  );
}
