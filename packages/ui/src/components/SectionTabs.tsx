import { Link, useLocation } from "../router/router";

/**
 * Links between pages that share one item of the main menu (Automations and Notifications, Work
 * pools and Concurrency limits):
 * the desktop menu stays one row, and each page is one click from the other.
 */
export function SectionTabs({ label, pages }: { label: string; pages: readonly { to: string; label: string }[] }) {
  const { path } = useLocation();
  return (
    <nav aria-label={label} className="section-tabs">
      <ul>
        {pages.map((p) => (
          <li key={p.to}>
            <Link to={p.to} aria-current={path === p.to ? "page" : undefined}>
              {p.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Automations and the notification rules they (and runs) send through. */
export const AUTOMATION_PAGES = [
  { to: "/automations", label: "Automations" },
  { to: "/notifications", label: "Notifications" },
] as const;

/** Work pools and the global concurrency limits: both say how much runs at once. */
export const CAPACITY_PAGES = [
  { to: "/work-pools", label: "Work pools" },
  { to: "/concurrency-limits", label: "Concurrency limits" },
] as const;
