import { Suspense, lazy, useEffect, type ReactNode } from "react";
import { ErrorAlert, Loading } from "../components/ErrorAlert";
import { DashboardPage } from "../pages/DashboardPage";
import { LoginPage } from "../pages/Login";
import { RunsPage } from "../pages/RunsPage";
import { Layout } from "./Layout";
import { Link, matchPath, navigate, useLocation } from "../router/router";
import { SessionProvider } from "../session/session";

// The landing pages (dashboard, runs) are in the main bundle; the others load when first opened,
// so a first visit parses less script before its first request. The pool page also brings core's
// zod schemas for its template check.
const load = {
  run: () => import("../pages/run/RunPage"),
  taskRun: () => import("../pages/task-run/TaskRunPage"),
  deployments: () => import("../pages/DeploymentsPage"),
  deployment: () => import("../pages/deployment/DeploymentPage"),
  pools: () => import("../pages/WorkPoolsPage"),
  pool: () => import("../pages/pool/WorkPoolPage"),
  settings: () => import("../pages/settings/SettingsPage"),
  artifacts: () => import("../pages/ArtifactsPage"),
  flows: () => import("../pages/FlowsPage"),
  variables: () => import("../pages/VariablesPage"),
  audit: () => import("../pages/AuditPage"),
  automations: () => import("../pages/automations/AutomationsPage"),
  notifications: () => import("../pages/notifications/NotificationsPage"),
  concurrency: () => import("../pages/concurrency/ConcurrencyLimitsPage"),
  events: () => import("../pages/events/EventsPage"),
};
const RunPage = lazy(() => load.run().then((m) => ({ default: m.RunPage })));
const TaskRunPage = lazy(() => load.taskRun().then((m) => ({ default: m.TaskRunPage })));
const DeploymentsPage = lazy(() => load.deployments().then((m) => ({ default: m.DeploymentsPage })));
const DeploymentPage = lazy(() => load.deployment().then((m) => ({ default: m.DeploymentPage })));
const WorkPoolsPage = lazy(() => load.pools().then((m) => ({ default: m.WorkPoolsPage })));
const WorkPoolPage = lazy(() => load.pool().then((m) => ({ default: m.WorkPoolPage })));
const ArtifactsPage = lazy(() => load.artifacts().then((m) => ({ default: m.ArtifactsPage })));
const FlowsPage = lazy(() => load.flows().then((m) => ({ default: m.FlowsPage })));
const VariablesPage = lazy(() => load.variables().then((m) => ({ default: m.VariablesPage })));
const AuditPage = lazy(() => load.audit().then((m) => ({ default: m.AuditPage })));
const AutomationsPage = lazy(() => load.automations().then((m) => ({ default: m.AutomationsPage })));
const NotificationsPage = lazy(() => load.notifications().then((m) => ({ default: m.NotificationsPage })));
const ConcurrencyLimitsPage = lazy(() => load.concurrency().then((m) => ({ default: m.ConcurrencyLimitsPage })));
const EventsPage = lazy(() => load.events().then((m) => ({ default: m.EventsPage })));
const SettingsPage = lazy(() => load.settings().then((m) => ({ default: m.SettingsPage })));

/** The pages by URL path, first match wins. */
const ROUTES: { pattern: string; title: string; render: (p: Record<string, string>) => ReactNode; preload?: () => Promise<unknown> }[] = [
  { pattern: "/", title: "Dashboard", render: () => <DashboardPage /> },
  { pattern: "/runs", title: "Flow runs", render: () => <RunsPage /> },
  { pattern: "/runs/:id", title: "Flow run", render: (p) => <RunPage key={p.id} id={p.id ?? ""} />, preload: load.run },
  { pattern: "/task-runs/:id", title: "Task run", render: (p) => <TaskRunPage key={p.id} id={p.id ?? ""} />, preload: load.taskRun },
  { pattern: "/flows", title: "Flows", render: () => <FlowsPage />, preload: load.flows },
  { pattern: "/deployments", title: "Deployments", render: () => <DeploymentsPage />, preload: load.deployments },
  { pattern: "/deployments/:id", title: "Deployment", render: (p) => <DeploymentPage key={p.id} id={p.id ?? ""} />, preload: load.deployment },
  { pattern: "/work-pools", title: "Work pools", render: () => <WorkPoolsPage />, preload: load.pools },
  { pattern: "/work-pools/:name", title: "Work pool", render: (p) => <WorkPoolPage key={p.name} name={p.name ?? ""} />, preload: load.pool },
  { pattern: "/artifacts", title: "Artifacts", render: () => <ArtifactsPage />, preload: load.artifacts },
  { pattern: "/variables", title: "Variables", render: () => <VariablesPage />, preload: load.variables },
  { pattern: "/automations", title: "Automations", render: () => <AutomationsPage />, preload: load.automations },
  { pattern: "/notifications", title: "Notifications", render: () => <NotificationsPage />, preload: load.notifications },
  { pattern: "/concurrency-limits", title: "Concurrency limits", render: () => <ConcurrencyLimitsPage />, preload: load.concurrency },
  { pattern: "/events", title: "Events", render: () => <EventsPage />, preload: load.events },
  { pattern: "/audit", title: "Audit log", render: () => <AuditPage />, preload: load.audit },
  { pattern: "/settings", title: "Settings", render: () => <SettingsPage />, preload: load.settings },
];

/**
 * Start loading the code of the page the browser opened at once, beside the session check,
 * instead of after it: a deep link to a run page makes its API calls about 250 ms sooner.
 */
export function preloadRoute(path: string): void {
  const route = ROUTES.find((r) => matchPath(r.pattern, path));
  void route?.preload?.().catch(() => undefined); // a failed chunk load shows when the page renders
}

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
