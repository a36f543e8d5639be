import { useState, type ReactNode } from "react";
import { Link, navigate, useLocation } from "./router";
import { useSession } from "./session";
import { currentTheme, toggleTheme } from "./theme";

const NAV = [
  { to: "/", label: "Dashboard" },
  { to: "/runs", label: "Flow runs" },
  { to: "/deployments", label: "Deployments" },
  { to: "/work-pools", label: "Work pools" },
  { to: "/settings", label: "Settings" },
];

export function Layout({ children }: { children: ReactNode }) {
  const { path } = useLocation();
  const { session, logout } = useSession();
  const [theme, setTheme] = useState(currentTheme);
  const active = (to: string) => (to === "/" ? path === "/" : path === to || path.startsWith(`${to}/`));
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Baton
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link to={item.to} aria-current={active(item.to) ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          {session?.authEnabled ? (
            <span className="muted who" title={`role: ${session.role ?? "none"}`}>
              {session.name} · {session.role}
            </span>
          ) : (
            <span className="muted who">authentication off</span>
          )}
          <button type="button" className="ghost" onClick={() => setTheme(toggleTheme())} aria-label="Toggle theme" title="Toggle theme">
            {theme === "dark" ? "☀ Light" : "☾ Dark"}
          </button>
          {session?.authEnabled && (
            <button type="button" className="ghost" onClick={() => void logout().then(() => navigate("/login"))}>
              Log out
            </button>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
