import { useState, type FormEvent } from "react";
import { ErrorAlert } from "../components/ErrorAlert";
import { navigate, useLocation } from "../router/router";
import { useSession } from "../session/session";
import { useAction } from "../lib/use-action";

export function LoginPage() {
  const { login } = useSession();
  const { query } = useLocation();
  const [key, setKey] = useState("");
  const { busy, error, run } = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await login(key.trim());
      const next = query.get("next");
      navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : "/", { replace: true });
    });
  };

  return (
    <div className="login">
      <form onSubmit={submit} className="card login-card">
        <h1>Log in</h1>
        <p className="muted">Use a Baton API key (`baton api-key create`). The browser keeps a session cookie, not the key.</p>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="current-password" value={key} onChange={(e) => setKey(e.target.value)} required autoFocus />
        <ErrorAlert error={error} />
        <button type="submit" disabled={busy || key.trim() === ""}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
    </div>
  );
}
