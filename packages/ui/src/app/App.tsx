import { Suspense, lazy, useEffect, type ReactNode } from "react";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { DashboardPage } from "../pages/DashboardPage";
import { LoginPage } from "../pages/Login";
import { RunsPage } from "../pages/RunsPage";
import { Layout } from "./Layout";
import { Link, matchPath, navigate, useLocation } from "./router";
import { SessionProvider } from "./session";

// The landing pages (dashboard, runs) are in the main bundle; the others load when first opened,
// so a first visit parses less script before its first request. The pool page also brings core's
// zod schemas for its template check.
const RunPage = lazy(() => import("../pages/run/RunPage").then((m) => ({ default: m.RunPage })));
const DeploymentsPage = lazy(() => import("../pages/DeploymentsPage").then((m) => ({ default: m.DeploymentsPage })));
const DeploymentPage = lazy(() => import("../pages/deployment/DeploymentPage").then((m) => ({ default: m.DeploymentPage })));
const WorkPoolsPage = lazy(() => import("../pages/WorkPoolsPage").then((m) => ({ default: m.WorkPoolsPage })));
const WorkPoolPage = lazy(() => import("../pages/pool/WorkPoolPage").then((m) => ({ default: m.WorkPoolPage })));
const SettingsPage = lazy(() => import("../pages/settings/SettingsPage").then((m) => ({ default: m.SettingsPage })));

/** The pages by URL path, first match wins. */
const ROUTES: { pattern: string; title: string; render: (p: Record<string, string>) => ReactNode }[] = [
  { pattern: "/", title: "Dashboard", render: () => <DashboardPage /> },
  { pattern: "/runs", title: "Flow runs", render: () => <RunsPage /> },
  { pattern: "/runs/:id", title: "Flow run", render: (p) => <RunPage key={p.id} id={p.id ?? ""} /> },
  { pattern: "/deployments", title: "Deployments", render: () => <DeploymentsPage /> },
  { pattern: "/deployments/:id", title: "Deployment", render: (p) => <DeploymentPage key={p.id} id={p.id ?? ""} /> },
  { pattern: "/work-pools", title: "Work pools", render: () => <WorkPoolsPage /> },
  { pattern: "/work-pools/:name", title: "Work pool", render: (p) => <WorkPoolPage key={p.name} name={p.name ?? ""} /> },
  { pattern: "/settings", title: "Settings", render: () => <SettingsPage /> },
];

function Pages() {
  const { path } = useLocation();
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (params) {
      document.title = `${route.title} · Baton`;
      return <>{route.render(params)}</>;
    }
  }
  return (
    <>
      <h1>Not found</h1>
      <p>
        Nothing at <code>{path}</code>. <Link to="/">Go to the dashboard</Link>.
      </p>
    </>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const { path, href } = useLocation();
  return (
    <SessionProvider>
      {(status) => {
        if (status.kind === "loading") return <Loading what="Baton" />;
        if (status.kind === "error")
          return (
            <main className="login">
              <h1>Baton</h1>
              <ErrorAlert error={status.error} />
            </main>
          );
        if (!status.session) {
          if (path !== "/login") return <Redirect to={`/login?next=${encodeURIComponent(href)}`} />;
          document.title = "Log in · Baton";
          return <LoginPage />;
        }
        if (path === "/login") return <Redirect to="/" />;
        return (
          <Layout>
            <Suspense fallback={<Loading what="the page" />}>
              <Pages />
            </Suspense>
          </Layout>
        );
      }}
    </SessionProvider>
  );
}
