import type { State } from "../../api/types";
import { Time } from "../../components/Copy";
import { StateBadge } from "../../components/StateBadge";
import { formatDuration, localizeTimes } from "../../lib/time";
import { useDisplayZone } from "../../lib/display-zone";

/** The run's states, oldest first, each with how long the run stayed in it. */
/** `errorStateId`: the failed state whose message is its error, shown once in the Error section instead. */
export function StateTimeline({ states, now, errorStateId }: { states: State[]; now: number; errorStateId?: string | number | undefined }) {
  const zone = useDisplayZone();
  if (states.length === 0) return <p className="muted">No states.</p>;
  const times = states.map((s) => Date.parse(s.timestamp));
  const start = times[0] ?? now;
  const end = Math.max(now, start + 1);
  const last = states.length - 1;
  return (
    <>
      <div className="timeline-bar" aria-hidden="true">
        {states.map((s, i) => {
          const from = times[i] ?? start;
          const to = i === last ? end : (times[i + 1] ?? end);
          return <span key={s.id} className={`seg state-${s.type}`} style={{ flexGrow: Math.max(to - from, (end - start) / 200) }} title={`${s.name}`} />;
        })}
      </div>
      <ol className="timeline">
        {states.map((s, i) => {
          const from = times[i] ?? start;
          const to = i === last ? null : (times[i + 1] ?? null);
          return (
            <li key={s.id}>
              <StateBadge type={s.type} name={s.name} />
              <Time iso={s.timestamp} />
              <span className="muted">{to === null ? "" : formatDuration(to - from)}</span>
              {s.id === errorStateId ? <span className="state-message muted">the error above</span> : s.message && <span className="state-message">{localizeTimes(s.message, zone)}</span>}
            </li>
          );
        })}
      </ol>
    </>
  );
}
