import { ApiError } from "../api/client";

/** What the server said, verbatim: the message and every field issue. */
export function ErrorAlert({ error }: { error: Error | undefined | null }) {
  if (!error) return null;
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div role="alert" className="alert">
      <p>{error.message}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue, i) => (
            <li key={i}>
              {issue.path ? <code>{issue.path}</code> : null}
              {issue.path ? ": " : ""}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p className="muted" aria-live="polite">Loading {what}…</p>;
}
