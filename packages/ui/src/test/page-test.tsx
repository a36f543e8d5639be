import { cleanup, render } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, beforeEach, vi } from "vitest";
import type { Role } from "../api/types";
import { setDisplayTimeZone } from "../lib/time";
import { SessionProvider } from "../session/session";
import { ADMIN_SESSION, VIEWER_SESSION } from "./fake-api";

/**
 * The session a page test runs in, one helper for every page's tests: `sessionFor("admin")` is
 * the GET /auth/session answer to spread into fakeApi's routes; `at(path)` registers the
 * surroundings (no live stream, the address bar at `path`, stubs and DOM undone after each
 * test); `render(page)` draws the page inside the session, as the app does.
 */
export function sessionFor(role: Extract<Role, "admin" | "viewer">) {
  return { "GET /auth/session": { body: role === "admin" ? ADMIN_SESSION : VIEWER_SESSION } };
}

export function pageTestAt(path: string): void {
  beforeEach(() => {
    // No server to stream from: pages fall back to loading once.
    vi.stubGlobal("EventSource", undefined);
    window.history.replaceState(null, "", path);
  });
  undoAfterEach();
}

/** After each test: the DOM emptied, stubbed globals (fetch, EventSource) restored, the display zone back to local. */
export function undoAfterEach(): void {
  afterEach(() => {
    cleanup();
    setDisplayTimeZone("local");
    vi.unstubAllGlobals();
  });
}

export const renderInSession = (page: ReactNode) => render(<SessionProvider>{() => page}</SessionProvider>);
