/**
 * Light or dark: the system's choice unless the user picked one (kept in localStorage). The
 * palette follows `data-theme` on <html> (styles.css), set here at startup and when the system
 * preference changes.
 */
export type Theme = "light" | "dark";
const KEY = "baton-theme";
const system = () => window.matchMedia("(prefers-color-scheme: dark)");

function stored(): Theme | null {
  const value = localStorage.getItem(KEY);
  return value === "light" || value === "dark" ? value : null;
}

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
}

export function applyStoredTheme(): void {
  const apply = () => {
    document.documentElement.dataset.theme = stored() ?? (system().matches ? "dark" : "light");
  };
  apply();
  system().addEventListener("change", apply);
}

export function toggleTheme(): Theme {
  const next: Theme = currentTheme() === "dark" ? "light" : "dark";
  document.documentElement.dataset.theme = next;
  localStorage.setItem(KEY, next);
  return next;
}
