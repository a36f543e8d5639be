import { useEffect, useRef, useState, type ReactNode } from "react";
import { Link, navigate, useLocation } from "../router/router";
import { useSession } from "../session/session";
import { labelTableCells } from "./table-labels";
import { currentTheme, toggleTheme } from "./theme";
import { DisplayZoneContext } from "../lib/display-zone";
import { displayTimeZone, setDisplayTimeZone } from "../lib/time";

const NAV: { to: string; label: string; admin?: boolean; also?: string[] }[] = [
  { to: "/", label: "Dashboard" },
  { to: "/runs", label: "Flow runs" },
  { to: "/flows", label: "Flows" },
  { to: "/deployments", label: "Deployments" },
  // Global concurrency limits share the pools' item (each page links the other): twelve items
  // would not fit one row at 1440 px.
  { to: "/work-pools", label: "Work pools", also: ["/concurrency-limits"] },
  { to: "/variables", label: "Variables" },
  { to: "/artifacts", label: "Artifacts" },
  { to: "/events", label: "Events" },
  // One item for both (each page links the other), for the same reason.
  { to: "/automations", label: "Automations", also: ["/notifications"] },
  // The audit route is for admins: others would get a page of 403.
  { to: "/audit", label: "Audit log", admin: true },
  { to: "/settings", label: "Settings" },
];

export function Layout({ children }: { children: ReactNode }) {
  const { path } = useLocation();
  const { session, logout, can } = useSession();
  const [theme, setTheme] = useState(currentTheme);
  const [menuOpen, setMenuOpen] = useState(false);
  const [zone, setZone] = useState(displayTimeZone);
  const switchZone = () => {
    const next = zone === "UTC" ? "local" : "UTC";
    setDisplayTimeZone(next);
    setZone(next); // every time on the page is drawn again in the new zone (DisplayZoneContext); the page is not remounted
  };
  const main = useRef<HTMLElement>(null);
  // A page change closes the phone menu.
  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => (main.current ? labelTableCells(main.current) : undefined), []);
  const under = (to: string) => (to === "/" ? path === "/" : path === to || path.startsWith(`${to}/`));
  const active = (item: (typeof NAV)[number]) => under(item.to) || (item.also ?? []).some(under);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className={menuOpen ? "topbar menu-open" : "topbar"}>
        <Link to="/" className="brand">
          Baton
        </Link>
        <button type="button" className="ghost menu-button" aria-expanded={menuOpen} aria-controls="main-menu" onClick={() => setMenuOpen((open) => !open)}>
          Menu
        </button>
        <nav aria-label="Main" id="main-menu" className={menuOpen ? "open" : undefined}>
          <ul>
            {NAV.filter((item) => !item.admin || can("admin")).map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={active(item) ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          {session?.authEnabled ? (
            <span className="muted who" title={`${session.name}, role: ${session.role ?? "none"}`}>
              {session.name} · {session.role}
            </span>
          ) : (
            <span className="muted who">authentication off</span>
          )}
          <button type="button" className="ghost" onClick={switchZone} title="Show every time in UTC or in your time zone">
            {zone === "UTC" ? "Times in UTC" : "Local times"}
          </button>
          {/* The name is the visible text (WCAG 2.5.3): the button says which theme it switches to. */}
          <button type="button" className="ghost" onClick={() => setTheme(toggleTheme())} title="Switch the colour theme">
            <span aria-hidden="true">{theme === "dark" ? "☀ " : "☾ "}</span>
            {theme === "dark" ? "Light theme" : "Dark theme"}
          </button>
          {session?.authEnabled && (
            <button type="button" className="ghost" onClick={() => void logout().then(() => navigate("/login"))}>
              Log out
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        <DisplayZoneContext.Provider value={zone}>{children}</DisplayZoneContext.Provider>
      </main>
    </div>
  );
}
