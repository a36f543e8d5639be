import { ApiError } from "../api/client";
import { Link } from "../router/router";

/**
 * What a page shows when the thing it is about cannot be loaded: a heading that says so ("Flow
 * run not found" for a 404), the server's message once (its field issues only when they add to
 * it), and a way back to the list.
 */
export function PageError({ what, error, back }: { what: string; error: Error; back: { to: string; label: string } }) {
  const status = error instanceof ApiError ? error.status : 0;
  const heading = status === 404 ? `${what} not found` : status === 400 ? `Not a valid ${what.toLowerCase()} address` : `Could not load the ${what.toLowerCase()}`;
  const issues = error instanceof ApiError ? error.issues.filter((i) => !error.message.includes(i.message)) : [];
  return (
    <>
      <h1>{heading}</h1>
      <div role="alert" className="alert">
        <p>{error.message}</p>
        {issues.length > 0 && (
          <ul>
            {issues.map((issue, i) => (
              <li key={i}>
                {issue.path ? `${issue.path}: ` : ""}
                {issue.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
    </>
  );
}
