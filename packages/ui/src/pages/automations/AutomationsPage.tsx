import { useState } from "react";
import type { Automation } from "@baton/core";
import { call } from "../../api/client";
import { usePageRefresh } from "../../api/live";
import { ConfirmButton } from "../../components/ConfirmButton";
import { AUTOMATION_PAGES, SectionTabs } from "../../components/SectionTabs";
import { CreatePanel } from "../../components/CreatePanel";
import { Loading } from "../../components/ErrorAlert";
import { StatusBadge } from "../../components/PoolStatus";
import { actionText, triggerText } from "../../lib/automation-text";
import { useAction } from "../../lib/use-action";
import { useApi } from "../../lib/use-api";
import { navigate, useLocation } from "../../router/router";
import { useSession } from "../../session/session";
import { AutomationFirings } from "./AutomationFirings";
import { CreateAutomationForm } from "./CreateAutomationForm";

const PAGE = 50;

/**
 * Automations (issue 15 part 3): each one's trigger and actions in words, whether it is on, and
 * what its recent firings did. Deployers pause, resume and delete them, as the route table allows.
 */
export function AutomationsPage() {
  const { can } = useSession();
  const deployer = can("deploy");
  const { query } = useLocation();
  const cursor = query.get("cursor") ?? "";
  const apiQuery = { limit: PAGE, ...(cursor ? { cursor } : {}) };
  const automations = useApi(`automations ${cursor}`, () => call("listAutomations", { query: apiQuery }));
  // Runs' state changes fire automations: their firings (and the list) follow.
  const [firingsTick, setFiringsTick] = useState(0);
  usePageRefresh(() => {
    automations.reload();
    setFiringsTick((t) => t + 1);
  });
  const [done, setDone] = useState("");
  const { busy, error, run } = useAction();

  const act = (work: () => Promise<unknown>, message: string) =>
    void run(async () => {
      setDone("");
      await work();
      setDone(message);
      automations.reload();
    });
  const pause = (a: Automation) => act(() => call("pauseAutomation", { params: { name: a.name } }), `Automation "${a.name}" paused: it will not fire until resumed.`);
  const resume = (a: Automation) => act(() => call("resumeAutomation", { params: { name: a.name } }), `Automation "${a.name}" resumed.`);
  const remove = (a: Automation) => act(() => call("deleteAutomation", { params: { name: a.name } }), `Automation "${a.name}" deleted.`);

  return (
    <>
      <h1>Automations</h1>
      <SectionTabs label="Automations and notifications" pages={AUTOMATION_PAGES} />
      <p className="muted">
        A trigger and the actions it fires: run a deployment, notify, pause or resume a deployment or pool, cancel the run. Also made by <code>baton automation create</code> and a deployment&apos;s
        <code> triggers:</code> in baton.yaml.
      </p>
      <CreatePanel
        allowed={deployer}
        buttonLabel="New automation"
        done={done}
        error={error ?? automations.error}
        form={CreateAutomationForm}
        onCreated={(name) => {
          setDone(`Automation "${name}" created.`);
          automations.reload();
        }}
      />
      {!automations.data && !automations.error && <Loading what="automations" />}
      {automations.data?.items.length === 0 && <p className="muted">No automations.</p>}
      {automations.data?.items.map((a) => (
        <section className="card automation" key={a.id} aria-labelledby={`automation-${a.id}`}>
          <div className="automation-head">
            <h2 id={`automation-${a.id}`}>{a.name}</h2>
            <StatusBadge status={a.enabled ? "ENABLED" : "PAUSED"} />
          </div>
          <p>{triggerText(a.trigger)}:</p>
          <ul className="automation-actions">
            {a.actions.map((action, i) => (
              <li key={i}>{actionText(action)}</li>
            ))}
          </ul>
          {a.deployment_id && <p className="muted">Made by a deployment&apos;s triggers: the next <code>baton deploy</code> brings it back as baton.yaml says.</p>}
          {deployer && (
            <div className="buttons">
              {a.enabled ? (
                <button type="button" className="secondary small" disabled={busy} aria-label={`Pause ${a.name}`} onClick={() => pause(a)}>
                  Pause
                </button>
              ) : (
                <button type="button" className="secondary small" disabled={busy} aria-label={`Resume ${a.name}`} onClick={() => resume(a)}>
                  Resume
                </button>
              )}
              <ConfirmButton label="Delete" ariaLabel={`Delete ${a.name}`} question={`Delete automation "${a.name}"? It stops firing; its past firings stay listed.`} onConfirm={() => remove(a)} />
            </div>
          )}
          <AutomationFirings automation={a} tick={firingsTick} />
        </section>
      ))}
      <div className="pager">
        {cursor && (
          <button type="button" className="secondary" onClick={() => navigate("/automations")}>
            First page
          </button>
        )}
        {automations.data?.next_cursor && (
          <button type="button" className="secondary" onClick={() => navigate(`/automations?cursor=${encodeURIComponent(automations.data?.next_cursor ?? "")}`)}>
            Next page
          </button>
        )}
      </div>
    </>
  );
}
