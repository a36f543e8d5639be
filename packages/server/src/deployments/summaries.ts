import type { DeploymentSummary, StateType } from "@baton/core";
import type { BatonDatabase } from "../db/open.js";

/** The states of a run that started: the list's "last runs" leave out what is still to come. */
const STARTED: StateType[] = ["PENDING", "RUNNING", "COMPLETED", "FAILED", "CRASHED", "CANCELLING", "CANCELLED", "PAUSED"];

interface BadgeRow {
  id: string;
  name: string;
  deployment_id: string | null;
  state_type: StateType;
  state_name: string;
  expected_start_time: string | null;
  created: string;
}

/**
 * For a page of the deployments list: each deployment's next scheduled run (the one due first)
 * and its last `runs` started runs, in two statements whatever the number of deployments. Each
 * is a UNION ALL of one small LIMITed, index-driven leg per deployment (ix_flow_runs_deployment,
 * ix_flow_runs_deployment_created): a window over every run of a deployment would read all its
 * 100,000 runs, and SQLite has no LATERAL join.
 */
export async function deploymentSummaries(database: BatonDatabase, ids: string[], runs: number): Promise<DeploymentSummary[]> {
  const unique = [...new Set(ids)];
  const { db } = database;
  const columns = ["id", "name", "deployment_id", "state_type", "state_name", "expected_start_time", "created"] as const;
  const legs = (leg: (id: string) => ReturnType<typeof base>) => {
    // SQLite allows ORDER BY/LIMIT only on a whole compound select: each leg is a subquery.
    const [first, ...rest] = unique.map((id, i) => db.selectFrom(leg(id).as(`t${i}`)).selectAll());
    return rest.reduce((all, q) => all.unionAll(q), first!);
  };
  const base = () => db.selectFrom("flow_runs").select(columns);
  const next = (await legs((id) =>
    base().where("deployment_id", "=", id).where("state_type", "=", "SCHEDULED").orderBy("expected_start_time").orderBy("id").limit(1),
  ).execute()) as BadgeRow[];
  const last =
    runs === 0
      ? []
      : ((await legs((id) =>
          base().where("deployment_id", "=", id).where("state_type", "in", STARTED).orderBy("created", "desc").orderBy("id", "desc").limit(runs),
        ).execute()) as BadgeRow[]);

  const badge = (r: BadgeRow) => ({ id: r.id, name: r.name, state_type: r.state_type, state_name: r.state_name });
  return unique.map((id) => {
    const due = next.find((r) => r.deployment_id === id);
    return {
      deployment_id: id,
      next_scheduled_run: due ? { ...badge(due), expected_start_time: due.expected_start_time } : null,
      // SQL promises no order for a UNION ALL's rows: newest first again here.
      last_runs: last
        .filter((r) => r.deployment_id === id)
        .sort((a, b) => (a.created === b.created ? b.id.localeCompare(a.id) : b.created.localeCompare(a.created)))
        .map(badge),
    };
  });
}
