import { formatLocal } from "../lib/time";
import { stackedBars, type Bucket } from "../lib/stacked";
import { useDisplayZone } from "../lib/display-zone";

const W = 900;
const H = 160;

/** Runs per bucket, stacked by state, with a legend of the window's totals. */
export function RunsChart({ buckets, order, totals, bucketSeconds }: { buckets: Bucket[]; order: string[]; totals: Record<string, number>; bucketSeconds: number }) {
  const zone = useDisplayZone();
  const layout = stackedBars(buckets, order, W, H);
  const label = (i: number) => {
    const start = buckets[i]?.start ?? "";
    return bucketSeconds >= 86400 ? formatLocal(start, zone).slice(0, 10) : formatLocal(start, zone).slice(11, 16);
  };
  const every = Math.max(1, Math.ceil(buckets.length / 8));
  return (
    <figure className="runs-chart">
      <svg role="img" aria-label="Runs over time by state" viewBox={`0 0 ${W} ${H + 20}`} width="100%">
        <line x1={0} x2={W} y1={H} y2={H} className="grid" />
        {layout.segments.map((s) => (
          <rect key={`${s.bucket}-${s.state}`} x={s.x} y={s.y} width={s.width} height={s.height} className={`bar state-${s.state}`}>
            <title>{`${label(s.bucket)}: ${s.count} ${s.state.toLowerCase()}`}</title>
          </rect>
        ))}
        {buckets.map((_, i) =>
          i % every === 0 ? (
            <text key={i} x={(i + 0.5) * (W / buckets.length)} y={H + 15} className="axis" textAnchor="middle">
              {label(i)}
            </text>
          ) : null,
        )}
        {layout.max === 0 && (
          <text x={W / 2} y={H / 2} className="axis" textAnchor="middle">
            No runs in this window
          </text>
        )}
      </svg>
      <figcaption className="legend">
        {order
          .filter((s) => (totals[s] ?? 0) > 0)
          .map((s) => (
            <span key={s} className="legend-item">
              <span className={`swatch state-${s}`} aria-hidden="true" /> {s.charAt(0) + s.slice(1).toLowerCase()} {totals[s]}
            </span>
          ))}
      </figcaption>
    </figure>
  );
}
