import { useEffect, useState, type FormEvent } from "react";
import { DELIVERY_STATUSES } from "@baton/core";
import { call, enc } from "../../api/client";
import { Time } from "../../components/Copy";
import { DataTable } from "../../components/DataTable";
import { ErrorAlert, Loading } from "../../components/ErrorAlert";
import { StatusBadge } from "../../components/PoolStatus";
import { eventText, targetTypeText } from "../../lib/automation-text";
import { useApi } from "../../lib/use-api";
import { Link, navigate, useLocation } from "../../router/router";

const PAGE = 50;

/** The delivery log, newest first, a page at a time: filter by rule and status, kept in the URL. */
export function Deliveries({ reloadKey }: { reloadKey: number }) {
  const { query } = useLocation();
  const rule = query.get("rule") ?? "";
  const status = query.get("status") ?? "";
  const cursor = query.get("cursor") ?? "";
  const apiQuery = { limit: PAGE, ...(rule ? { rule } : {}), ...(status ? { status: status as (typeof DELIVERY_STATUSES)[number] } : {}), ...(cursor ? { cursor } : {}) };
  const deliveries = useApi(JSON.stringify(apiQuery), () => call("listNotificationDeliveries", { query: apiQuery }));
  // A new reloadKey refetches in place: the log stays on screen until the answer comes (live updates).
  const { reload } = deliveries;
  useEffect(() => {
    if (reloadKey > 0) reload();
  }, [reloadKey, reload]);
  const go = (next: { rule?: string; status?: string; cursor?: string }) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries({ rule, status, ...next })) if (value) params.set(key, value);
    const text = params.toString();
    navigate(`/notifications${text ? `?${text}` : ""}`);
  };
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Deliveries</h2>
      <DeliveryFilters key={`${rule}|${status}`} rule={rule} status={status} onApply={(f) => go({ ...f, cursor: "" })} />
      <ErrorAlert error={deliveries.error} />
      {!deliveries.data && !deliveries.error && <Loading what="deliveries" />}
      {deliveries.data && (
        <DataTable
          label="Deliveries"
          items={deliveries.data.items}
          itemKey={(d) => d.id}
          empty={rule || status ? "No deliveries match." : "Nothing sent yet."}
          columns={[
            { header: "Queued", cell: (d) => <Time iso={d.created} copy={false} /> },
            { header: "Rule", cell: (d) => <code>{d.rule_name}</code> },
            { header: "Target", cell: (d) => targetTypeText(d.target_type) },
            { header: "Event", cell: (d) => (d.event === "TEST" ? "test message" : eventText(d.event)) },
            { header: "Flow run", cell: (d) => (d.flow_run_id ? <Link to={`/runs/${enc(d.flow_run_id)}`}>{d.flow_run_id.slice(0, 8)}</Link> : <span className="muted">–</span>) },
            { header: "State", cell: (d) => <StatusBadge status={d.status.toUpperCase()} /> },
            { header: "Attempts", className: "num", cell: (d) => d.attempts },
            { header: "Last error", cell: (d) => (d.last_error ? <span className="field-error">{d.last_error}</span> : <span className="muted">–</span>) },
            {
              header: "Next attempt",
              cell: (d) =>
                d.status === "delivered" ? (
                  <span>
                    sent <Time iso={d.delivered_at} copy={false} />
                  </span>
                ) : d.status === "pending" ? (
                  d.next_attempt_at ? <Time iso={d.next_attempt_at} copy={false} /> : "now"
                ) : (
                  <span className="muted">none: gave up</span>
                ),
            },
          ]}
        />
      )}
      <div className="pager">
        {/* Pending deliveries move on their own (retries, backoff): look again without leaving the page. */}
        <button type="button" className="secondary" disabled={deliveries.loading} onClick={deliveries.reload}>
          Refresh
        </button>
        {cursor && (
          <button type="button" className="secondary" onClick={() => go({ cursor: "" })}>
            First page
          </button>
        )}
        {deliveries.data?.next_cursor && (
          <button type="button" className="secondary" onClick={() => go({ cursor: deliveries.data?.next_cursor ?? "" })}>
            Next page
          </button>
        )}
      </div>
    </section>
  );
}

function DeliveryFilters({ rule, status, onApply }: { rule: string; status: string; onApply: (f: { rule: string; status: string }) => void }) {
  const [draft, setDraft] = useState({ rule, status });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({ rule: draft.rule.trim(), status: draft.status });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Delivery filters">
      <div className="field">
        <label htmlFor="delivery-rule">Rule</label>
        <input id="delivery-rule" value={draft.rule} placeholder="rule name" spellCheck={false} onChange={(e) => setDraft({ ...draft, rule: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="delivery-status">State</label>
        <select id="delivery-status" value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
          <option value="">Any</option>
          {DELIVERY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      <div className="field actions">
        <button type="submit">Apply filters</button>
      </div>
    </form>
  );
}
