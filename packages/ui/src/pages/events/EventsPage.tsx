import { useRef, useState } from "react";
import { call } from "../../api/client";
import { useLive } from "../../api/live";
import { Time } from "../../components/Copy";
import { DataTable } from "../../components/DataTable";
import { StatusBadge } from "../../components/PoolStatus";
import { StateBadge } from "../../components/StateBadge";
import { addToFeed, FEED_LIMIT, FEED_TYPES, feedTime, isFeedType, type FeedItem, type FeedType } from "../../lib/event-feed";
import { useApi } from "../../lib/use-api";
import { Link, navigate, useLocation } from "../../router/router";

interface Filters {
  type: FeedType | "";
  pool: string;
  deployment: string;
}

const shortId = (id: string) => (id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id);
const poolLink = (name: string) => <Link to={`/work-pools/${encodeURIComponent(name)}`}>{name}</Link>;

/**
 * What happens, as it happens: flow runs entering states and workers' heartbeats, from the
 * server-sent events stream. No API lists past state changes across runs by time, so the feed
 * starts when the page opens; the runs list has the history.
 */
export function EventsPage() {
  const { query, href } = useLocation();
  const type = query.get("type");
  const filters: Filters = { type: isFeedType(type) ? type : "", pool: query.get("pool") ?? "", deployment: query.get("deployment") ?? "" };
  const choices = useApi("event choices", () => Promise.all([call("listWorkPools", { query: { limit: 500 } }), call("listDeployments", { query: { limit: 500 } })]));
  const set = (next: Partial<Filters>) => {
    const merged = { ...filters, ...next };
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(merged)) if (value) params.set(key, value);
    const text = params.toString();
    navigate(`/events${text ? `?${text}` : ""}`, { replace: true });
  };
  const [pools, deployments] = choices.data ?? [undefined, undefined];

  return (
    <>
      <h1>Events</h1>
      <p className="muted">
        Flow runs entering states and workers&apos; heartbeats, newest first, as the server sends them. The feed starts when this page opens (the last {FEED_LIMIT} are kept); for what happened
        before, see <Link to="/runs">Flow runs</Link>.
      </p>
      <form className="filters" aria-label="Filter events" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="events-type">Events</label>
          <select id="events-type" value={filters.type} onChange={(e) => set({ type: e.target.value as Filters["type"] })}>
            <option value="">All</option>
            {Object.entries(FEED_TYPES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <Choice id="events-pool" label="Work pool" value={filters.pool} choices={pools?.items.map((p) => ({ value: p.name, label: p.name }))} onChange={(pool) => set({ pool })} />
        <Choice id="events-deployment" label="Deployment" value={filters.deployment} choices={deployments?.items.map((d) => ({ value: d.id, label: `${d.flow_name}/${d.name}` }))} onChange={(deployment) => set({ deployment })} />
      </form>
      {/* Other filters are another stream: the feed starts again. */}
      <Feed key={href} filters={filters} />
    </>
  );
}

/** A filter's dropdown; a value from the URL that is not (yet) among the choices still shows. */
function Choice({ id, label, value, choices, onChange }: { id: string; label: string; value: string; choices: { value: string; label: string }[] | undefined; onChange: (value: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Any</option>
        {value && !choices?.some((c) => c.value === value) && <option value={value}>{value}</option>}
        {choices?.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Feed({ filters }: { filters: Filters }) {
  const [items, setItems] = useState<FeedItem[]>([]);
  const [held, setHeld] = useState<FeedItem[]>([]);
  const [paused, setPaused] = useState(false);
  const seq = useRef(0);
  // A deployment's runs send no heartbeats: with a deployment chosen, only state changes come.
  const types = filters.type || (filters.deployment ? "flow_run" : "flow_run,worker");
  useLive({ types, work_pool_name: filters.pool, deployment_id: filters.deployment }, (message) => {
    if (message.type !== "flow_run" && message.type !== "worker") return;
    const item = { ...message, seq: ++seq.current } as FeedItem;
    // Paused: the list holds still for reading; what arrives waits (bounded too) for resume.
    if (paused) setHeld((old) => [...old, item].slice(-FEED_LIMIT));
    else setItems((old) => addToFeed(old, [item]));
  });
  const resume = () => {
    setItems((old) => addToFeed(old, held));
    setHeld([]);
    setPaused(false);
  };

  return (
    <>
      <div className="toolbar">
        {paused ? (
          <button type="button" onClick={resume}>
            Resume
          </button>
        ) : (
          <button type="button" className="secondary" onClick={() => setPaused(true)}>
            Pause
          </button>
        )}
        <p className="muted" role="status">
          {paused ? `Paused: ${held.length} new event${held.length === 1 ? "" : "s"} waiting.` : "Live."} {items.length > 0 && `${items.length} shown.`}
        </p>
      </div>
      <DataTable<FeedItem>
        label="Events"
        items={items}
        itemKey={(item) => String(item.seq)}
        empty="Waiting for events: they appear here as runs change state and workers check in."
        columns={[
          { header: "Time", cell: (item) => <Time iso={feedTime(item)} copy={false} /> },
          { header: "Event", cell: (item) => (item.type === "flow_run" ? <StateBadge type={item.data.state_type} name={item.data.state_name} /> : <StatusBadge status={item.data.status} />) },
          {
            header: "What",
            cell: (item) =>
              item.type === "flow_run" ? (
                <>
                  Run <Link to={`/runs/${item.data.id}`}>{shortId(item.data.id)}</Link> of {item.data.flow_name}
                  {item.data.deployment_id && item.data.deployment_name && (
                    <>
                      {" "}
                      (<Link to={`/deployments/${item.data.deployment_id}`}>{item.data.deployment_name}</Link>)
                    </>
                  )}
                </>
              ) : (
                <>Worker {item.data.name} sent a heartbeat</>
              ),
          },
          { header: "Work pool", cell: (item) => (item.type === "flow_run" ? (item.data.work_pool_name ? poolLink(item.data.work_pool_name) : <span className="muted">–</span>) : poolLink(item.data.work_pool_name)) },
        ]}
      />
    </>
  );
}
