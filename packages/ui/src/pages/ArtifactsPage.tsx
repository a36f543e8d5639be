import { call } from "../api/client";
import { Link, useLocation } from "../router/router";
import { ArtifactList } from "../components/ArtifactList";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { useApi } from "../lib/use-api";

/** Each key's latest artifact; with `?key=K`, that key's versions, newest first. */
export function ArtifactsPage() {
  const { query } = useLocation();
  const key = query.get("key");
  const list = useApi(key ?? "(latest)", () => call("listArtifacts", { query: key ? { key, limit: 100 } : { latest: "true", limit: 100 } }));
  return (
    <>
      <div className="page-head">
        <h1>{key ? `Artifact ${key}` : "Artifacts"}</h1>
      </div>
      {key ? (
        <p>
          Every version of this key, newest first. <Link to="/artifacts">All artifacts</Link>
        </p>
      ) : (
        <p className="muted">The latest version of each key. Flow code publishes artifacts with createMarkdownArtifact, createTableArtifact, createLinkArtifact and createProgressArtifact.</p>
      )}
      <ErrorAlert error={list.error} />
      {!list.data && !list.error && <Loading what="artifacts" />}
      {list.data && <ArtifactList artifacts={list.data.items} showRun />}
    </>
  );
}
