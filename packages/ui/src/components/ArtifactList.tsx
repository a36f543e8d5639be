import type { Artifact } from "../api/types";
import { Link } from "../router/router";
import { Time } from "./Copy";
import { ArtifactView } from "./ArtifactView";

/** Artifacts, each with its key, type, run and time above what it shows. */
export function ArtifactList({ artifacts, showRun = false }: { artifacts: Artifact[]; showRun?: boolean }) {
  if (artifacts.length === 0) return <p className="muted">No artifacts.</p>;
  return (
    <ul className="artifacts">
      {artifacts.map((a) => (
        <li key={a.id} className="artifact">
          <div className="artifact-head">
            <strong>{a.key ? <Link to={`/artifacts?key=${encodeURIComponent(a.key)}`}>{a.key}</Link> : "(no key)"}</strong> <span className="tag">{a.type}</span>
            {showRun && (
              <>
                {" "}
                · run <Link to={`/runs/${a.flow_run_id}`}>{a.flow_run_name ?? a.flow_run_id}</Link>
              </>
            )}
            {a.task_run_id && (
              <>
                {" "}
                · <Link to={`/task-runs/${a.task_run_id}`}>task run</Link>
              </>
            )}{" "}
            · <Time iso={a.created} />
          </div>
          {a.description && <p className="muted">{a.description}</p>}
          <ArtifactView artifact={a} />
        </li>
      ))}
    </ul>
  );
}
