import { useState } from "react";
import type { ConcurrencyLimit } from "@baton/core";
import { call } from "../../api/client";
import { usePageRefresh } from "../../api/live";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { CreatePanel } from "../../components/CreatePanel";
import { Loading } from "../../components/ErrorAlert";
import { CAPACITY_PAGES, SectionTabs } from "../../components/SectionTabs";
import { useAction } from "../../lib/use-action";
import { useApi } from "../../lib/use-api";
import { navigate, useLocation } from "../../router/router";
import { useSession } from "../../session/session";
import { CreateLimitForm } from "./CreateLimitForm";
import { LimitDetail, limitKind, slotsText } from "./LimitDetail";

/**
 * Global concurrency and rate limits (issue 16 part 3): how many slots each holds and how many are
 * taken now. `tag:X` limits cap the task runs tagged X. Deployers create, change and delete them.
 */
export function ConcurrencyLimitsPage() {
  const { can } = useSession();
  const deployer = can("deploy");
  const location = useLocation();
  const inspected = location.query.get("limit");
  const limits = useApi("concurrency limits", () => call("listConcurrencyLimits", { query: { limit: 500 } }));
  const detail = useApi(inspected === null ? null : `limit ${inspected}`, () => call("readConcurrencyLimit", { params: { name: inspected ?? "" } }));
  // Runs take and give back slots as they change state: the counts follow.
  usePageRefresh(() => {
    limits.reload();
    if (inspected !== null) detail.reload();
  });
  const [done, setDone] = useState("");
  const { error, run } = useAction();
  // The inspected limit is in the URL (?limit=NAME): a link to it can be shared.
  const inspect = (name: string | null) => navigate(name === null ? location.path : `${location.path}?${new URLSearchParams({ limit: name }).toString()}`, { replace: true });

  const saved = (message: string) => {
    setDone(message);
    limits.reload();
    detail.reload();
  };
  const remove = (name: string) =>
    void run(async () => {
      setDone("");
      await call("deleteConcurrencyLimit", { params: { name } });
      if (inspected === name) inspect(null);
      setDone(`Limit "${name}" deleted.`);
      limits.reload();
    });

  return (
    <>
      <h1>Concurrency limits</h1>
      <SectionTabs label="Work pools and concurrency limits" pages={CAPACITY_PAGES} />
      <p className="muted">
        Slots shared by every worker and server: a flow takes them with <code>concurrency(name)</code> or <code>rateLimit(name)</code>; a limit named <code>tag:X</code> caps the task runs tagged X. Also
        managed by <code>baton concurrency-limit</code>.
      </p>
      <CreatePanel
        allowed={deployer}
        buttonLabel="New concurrency limit"
        done={done}
        error={error ?? limits.error}
        form={CreateLimitForm}
        onCreated={(name) => {
          setDone(`Limit "${name}" created.`);
          limits.reload();
        }}
      />
      {inspected !== null && <LimitDetail loaded={detail} deployer={deployer} onSaved={saved} onClose={() => inspect(null)} />}
      {!limits.data && !limits.error && <Loading what="concurrency limits" />}
      {limits.data && (
        <DataTable<ConcurrencyLimit>
          label="Concurrency limits"
          items={limits.data.items}
          itemKey={(l) => l.name}
          empty="No concurrency limits."
          columns={[
            {
              header: "Name",
              cell: (l) => (
                <button type="button" className="link-button" aria-label={`Inspect ${l.name}`} onClick={() => inspect(l.name)}>
                  <code>{l.name}</code>
                </button>
              ),
            },
            { header: "Limits", cell: (l) => limitKind(l) },
            { header: "Slots in use", cell: (l) => <span className="nowrap">{slotsText(l)}</span> },
            { header: "Slot decay", cell: (l) => (l.slot_decay_per_second > 0 ? `${l.slot_decay_per_second}/s` : "–") },
            { header: "Active", cell: (l) => (l.active ? "yes" : "no") },
            deployer && {
              header: "Actions",
              hideHeader: true,
              cell: (l) => (
                <span className="buttons">
                  <button type="button" className="secondary small" aria-label={`Edit ${l.name}`} onClick={() => inspect(l.name)}>
                    Edit
                  </button>
                  <ConfirmButton label="Delete" ariaLabel={`Delete ${l.name}`} question={`Delete limit "${l.name}"? What it holds back runs without it; slots held now are let go.`} onConfirm={() => remove(l.name)} />
                </span>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
