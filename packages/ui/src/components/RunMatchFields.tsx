export type MatchKey = "flows" | "deployments" | "tags" | "workPools";

const MATCH_FIELDS = [
  ["flows", "Flows", "etl"],
  ["deployments", "Deployments", "etl/nightly"],
  ["tags", "Tags (any of)", "nightly"],
  ["workPools", "Work pools", "k8s"],
] as const;

/**
 * Which runs a notification rule or an automation's trigger watches: comma-separated names per
 * list. `poolsOnly`: a pool trigger, which watches pools, not runs.
 */
export function RunMatchFields({ idPrefix, values, poolsOnly, onChange, onBlur }: {
  idPrefix: string;
  values: Record<MatchKey, string>;
  poolsOnly?: boolean;
  onChange: (next: Partial<Record<MatchKey, string>>) => void;
  onBlur?: () => void;
}) {
  return (
    <>
      <p className="muted">{poolsOnly ? "Which pools (none: every pool)." : "Which runs: each list given must match, an empty one matches all."} Separate names with commas.</p>
      <div className="row">
        {MATCH_FIELDS.filter(([key]) => !poolsOnly || key === "workPools").map(([key, label, placeholder]) => (
          <div className="field" key={key}>
            <label htmlFor={`${idPrefix}-${key}`}>{label}</label>
            <input id={`${idPrefix}-${key}`} value={values[key]} placeholder={placeholder} spellCheck={false} onChange={(e) => onChange({ [key]: e.target.value })} onBlur={onBlur} />
          </div>
        ))}
      </div>
    </>
  );
}
