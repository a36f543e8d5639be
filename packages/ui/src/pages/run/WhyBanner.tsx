import { call } from "../../api/client";
import { Link } from "../../router/router";
import { ErrorAlert } from "../../components/ErrorAlert";
import { localizeTimes } from "../../lib/time";
import { useApi } from "../../lib/use-api";
import { useDisplayZone } from "../../lib/display-zone";

/** Why a run has not started: the reasons `baton flow-run why` gives, from the server. */
export function WhyBanner({ flowRunId, stateKey }: { flowRunId: string; stateKey: string }) {
  const zone = useDisplayZone();
  const why = useApi(`${flowRunId}:${stateKey}`, () => call("whyFlowRun", { params: { id: flowRunId } }));
  if (why.error) return <ErrorAlert error={why.error} />;
  if (!why.data || why.data.reasons.length === 0) return null;
  return (
    <section className="why" role="status" aria-labelledby="why-title">
      <h2 id="why-title">Why has this run not started?</h2>
      <ul>
        {why.data.reasons.map((reason) => (
          <li key={reason.code}>
            <span className="code">{reason.code}</span> {localizeTimes(reason.message, zone)}
            {reason.holders && reason.holders.length > 0 && (
              <span>
                {" "}
                Held by:{" "}
                {reason.holders.map((h, i) => (
                  <span key={h.id}>
                    {i > 0 && ", "}
                    <Link to={`/runs/${h.id}`}>{h.name}</Link>
                  </span>
                ))}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
