import { call } from "../../api/client";
import { Time } from "../../components/Copy";
import { DataTable } from "../../components/DataTable";
import { ErrorAlert } from "../../components/ErrorAlert";
import { StatusBadge } from "../../components/PoolStatus";
import { StateBadge } from "../../components/StateBadge";
import { FEED_LIMIT, FEED_TYPES, LIVE_LABELS, feedKey, feedTime, isFeedType, type FeedItem } from "../../lib/event-feed";
import { useApi } from "../../lib/use-api";
import { Link, navigate, useLocation } from "../../router/router";
import { useEventFeed, type FeedFilters as Filters } from "./use-event-feed";

const shortId = (id: string) => (id.length > 13 ? `${id.slice(0, 8)}…${id.slice(-4)}` : id);
const poolLink = (name: string) => <Link to={`/work-pools/${encodeURIComponent(name)}`}>{name}</Link>;

/**
 * What happened and what happens: flow runs entering states, from the stored history (newest
 * first, "Load older" for more) and then live from the server-sent events stream; workers'
 * heartbeats live only, since only each worker's last one is stored.
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
        Flow runs entering states, newest first: the latest from the stored history, then live as they happen (the newest {FEED_LIMIT} stay, with what Load older brings back).
        Workers&apos; heartbeats are not stored, so they show only while this page is open; each worker&apos;s last one is on its <Link to="/work-pools">work pool</Link>&apos;s page.
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
  const events = useEventFeed(filters);
  const { items } = events.feed;
  const empty = events.loading
    ? "Loading past state changes…"
    : events.hasHistory
      ? "No state changes yet: they appear here as runs change state and workers check in."
      : "Waiting for heartbeats: they are not stored, so they appear here as workers check in.";

  return (
    <>
      <div className="toolbar">
        {events.paused ? (
          <button type="button" onClick={events.resume}>
            Resume
          </button>
        ) : (
          <button type="button" className="secondary" onClick={events.pause}>
            Pause
          </button>
        )}
        <p className="muted" role="status">
          <span className={`live-state live-state-${events.live}`}>{LIVE_LABELS[events.live]}.</span>{" "}
          {events.paused && `Paused: ${events.held} new event${events.held === 1 ? "" : "s"} waiting.`} {items.length > 0 && `${items.length} shown.`}
        </p>
      </div>
      <ErrorAlert error={events.error} />
      <DataTable<FeedItem>
        label="Events"
        items={items}
        itemKey={feedKey}
        empty={empty}
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
      {events.hasHistory && (events.feed.older || events.loading) && items.length > 0 && (
        <div className="pager">
          <button type="button" className="secondary" disabled={events.loading} onClick={events.loadOlder}>
            {events.loading ? "Loading…" : "Load older"}
          </button>
        </div>
      )}
    </>
  );
}
