import { call } from "../../api/client";
import { useSession } from "../../session/session";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useApi } from "../../lib/use-api";
import { ApiKeys } from "./ApiKeys";
import { Secrets } from "./Secrets";

export function SettingsPage() {
  const { can, session } = useSession();
  const version = useApi("version", () => call("version"));
  return (
    <>
      <h1>Settings</h1>
      <section>
        <h2>Server</h2>
        <ErrorAlert error={version.error} />
        {version.data && (
          <dl className="facts">
            <dt>Version</dt>
            <dd>{version.data.version}</dd>
            <dt>API version</dt>
            <dd>{version.data.api_version}</dd>
            <dt>Database</dt>
            <dd>{version.data.database}</dd>
            <dt>Authentication</dt>
            <dd>{session?.authEnabled ? `on (you: ${session.name}, ${session.role ?? "no role"})` : "off"}</dd>
          </dl>
        )}
      </section>
      {can("admin") && (
        <section>
          <h2>API keys</h2>
          <ApiKeys />
        </section>
      )}
      <section>
        <h2>Secrets</h2>
        <Secrets />
      </section>
    </>
  );
}
