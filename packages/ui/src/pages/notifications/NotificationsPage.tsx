import { useState } from "react";
import type { NotificationRule } from "@baton/core";
import { call } from "../../api/client";
import { usePageRefresh } from "../../api/live";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { AUTOMATION_PAGES, SectionTabs } from "../../components/SectionTabs";
import { CreatePanel } from "../../components/CreatePanel";
import { Loading } from "../../components/ErrorAlert";
import { StatusBadge } from "../../components/PoolStatus";
import { ruleMatchText, targetText, targetTypeText } from "../../lib/automation-text";
import { useAction } from "../../lib/use-action";
import { useApi } from "../../lib/use-api";
import { useSession } from "../../session/session";
import { CreateRuleForm } from "./CreateRuleForm";
import { Deliveries } from "./Deliveries";

/**
 * Notification rules (issue 15 part 2) and their delivery log. Targets show as the server masks
 * them (a webhook's host, never its path or signing secret). Admins enable, disable, test and
 * delete rules, as the route table allows; everyone who can read sees the deliveries.
 */
export function NotificationsPage() {
  const { can } = useSession();
  const admin = can("admin");
  const rules = useApi("notification rules", () => call("listNotificationRules", { query: { limit: 500 } }));
  const [done, setDone] = useState("");
  // A test or a change shows in the deliveries below: they load again when this changes.
  const [deliveriesTick, setDeliveriesTick] = useState(0);
  const { busy, error, run } = useAction();
  // Runs' state changes send notifications: the deliveries (and rules) follow.
  usePageRefresh(() => {
    rules.reload();
    setDeliveriesTick((t) => t + 1);
  });

  const act = (work: () => Promise<unknown>, message: string) =>
    void run(async () => {
      setDone("");
      await work();
      setDone(message);
      rules.reload();
      setDeliveriesTick((t) => t + 1);
    });
  const setEnabled = (r: NotificationRule, enabled: boolean) =>
    act(() => call("updateNotificationRule", { params: { name: r.name }, body: { enabled } }), `Rule "${r.name}" ${enabled ? "enabled" : "disabled: it sends nothing until enabled"}.`);
  const test = (r: NotificationRule) => act(() => call("testNotificationRule", { params: { name: r.name } }), `A test message to rule "${r.name}" is queued: see its delivery below.`);
  const remove = (r: NotificationRule) => act(() => call("deleteNotificationRule", { params: { name: r.name } }), `Rule "${r.name}" deleted.`);

  return (
    <>
      <h1>Notifications</h1>
      <SectionTabs label="Automations and notifications" pages={AUTOMATION_PAGES} />
      <p className="muted">
        When a run of a matching flow, deployment, tag or pool enters a state, the server sends a message to the rule&apos;s target, retrying with backoff. Also made with{" "}
        <code>baton notification create</code>.
      </p>
      <CreatePanel
        allowed={admin}
        buttonLabel="New notification rule"
        done={done}
        error={error ?? rules.error}
        form={CreateRuleForm}
        onCreated={(name) => {
          setDone(`Rule "${name}" created.`);
          rules.reload();
        }}
      />
      <h2>Rules</h2>
      {!rules.data && !rules.error && <Loading what="notification rules" />}
      {rules.data && (
        <DataTable
          label="Notification rules"
          items={rules.data.items}
          itemKey={(r) => r.id}
          empty="No notification rules."
          columns={[
            { header: "Name", cell: (r) => <code>{r.name}</code> },
            { header: "When", cell: (r) => ruleMatchText(r) },
            { header: "Target type", cell: (r) => targetTypeText(r.target.type) },
            { header: "Target", cell: (r) => <code className="value">{targetText(r.target)}</code> },
            { header: "Status", cell: (r) => <StatusBadge status={r.enabled ? "ENABLED" : "DISABLED"} /> },
            admin && {
              header: "Actions",
              hideHeader: true,
              cell: (r) => (
                <span className="buttons">
                  <button type="button" className="secondary small" disabled={busy} aria-label={`${r.enabled ? "Disable" : "Enable"} ${r.name}`} onClick={() => setEnabled(r, !r.enabled)}>
                    {r.enabled ? "Disable" : "Enable"}
                  </button>
                  <button type="button" className="secondary small" disabled={busy} aria-label={`Send a test to ${r.name}`} onClick={() => test(r)}>
                    Send a test
                  </button>
                  <ConfirmButton label="Delete" ariaLabel={`Delete ${r.name}`} question={`Delete notification rule "${r.name}"? Its target gets no more messages; automations that notify through it will fail.`} onConfirm={() => remove(r)} />
                </span>
              ),
            },
          ]}
        />
      )}
      <Deliveries reloadKey={deliveriesTick} />
    </>
  );
}
