import { useEffect } from "react";
import type { Automation } from "@baton/core";
import { call, enc } from "../../api/client";
import { Time } from "../../components/Copy";
import { DataTable } from "../../components/DataTable";
import { ErrorAlert } from "../../components/ErrorAlert";
import { StatusBadge } from "../../components/PoolStatus";
import { actionText, eventText, firingOutcome } from "../../lib/automation-text";
import { useApi } from "../../lib/use-api";
import { Link } from "../../router/router";

const RECENT = 5;

/** An automation's last few firings: what set each off, the run, and what it did (or why it could not). */
export function AutomationFirings({ automation, tick }: { automation: Automation; tick: number }) {
  const firings = useApi(`firings ${automation.name} ${automation.updated}`, () => call("listAutomationFirings", { query: { automation: automation.name, limit: RECENT } }));
  const { reload } = firings;
  useEffect(() => {
    if (tick > 0) reload();
  }, [tick, reload]);
  const actions = automation.actions.map(actionText);
  return (
    <>
      <h3 className="firings-title">Recent firings</h3>
      <ErrorAlert error={firings.error} />
      {firings.data && (
        <DataTable
          label={`Recent firings of ${automation.name}`}
          items={firings.data.items}
          itemKey={(f) => f.id}
          empty="It has not fired yet."
          columns={[
            { header: "Fired", cell: (f) => <Time iso={f.created} copy={false} /> },
            { header: "Because", cell: (f) => eventText(f.event) },
            { header: "Flow run", cell: (f) => (f.flow_run_id ? <Link to={`/runs/${enc(f.flow_run_id)}`}>{f.flow_run_id.slice(0, 8)}</Link> : <span className="muted">–</span>) },
            { header: "Status", cell: (f) => <StatusBadge status={f.status.toUpperCase()} /> },
            { header: "What it did", cell: (f) => firingOutcome(f, actions) },
            { header: "Last error", cell: (f) => (f.last_error ? <span className="field-error">{f.last_error}</span> : <span className="muted">–</span>) },
          ]}
        />
      )}
    </>
  );
}
