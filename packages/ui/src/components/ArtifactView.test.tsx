// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, test } from "vitest";
import type { Artifact } from "../api/types";
import { ArtifactView } from "./ArtifactView";

afterEach(() => {
  cleanup();
  delete (window as unknown as { pwned?: boolean }).pwned;
});

const artifact = (type: Artifact["type"], data: unknown, extra: Partial<Artifact> = {}): Artifact => ({
  id: "0190c0de-0000-7000-8000-000000000001",
  key: "report",
  type,
  description: null,
  data,
  flow_run_id: "0190c0de-0000-7000-8000-000000000002",
  task_run_id: null,
  flow_run_name: "run",
  flow_name: "flow",
  created: "2026-12-07T00:00:00.000Z",
  updated: "2026-12-07T00:00:00.000Z",
  ...extra,
});

describe("an artifact on the page", () => {
  test("markdown renders as markdown: headings, emphasis, GitHub tables", () => {
    render(<ArtifactView artifact={artifact("markdown", "# Nightly load\n\nLoaded **40** rows.\n\n| region | rows |\n|---|---|\n| eu | 20 |")} />);
    expect(screen.getByRole("heading", { level: 1, name: "Nightly load" })).toBeTruthy();
    expect(screen.getByText("40").tagName).toBe("STRONG");
    const table = screen.getByRole("table");
    expect(within(table).getByRole("columnheader", { name: "region" })).toBeTruthy();
    expect(within(table).getByRole("cell", { name: "20" })).toBeTruthy();
  });

  test("raw HTML in markdown is not injected: a <script> does not run, an onerror handler does not exist, a javascript: link goes nowhere", () => {
    const hostile = [
      "# Hello",
      '<script>window.pwned = true</script>',
      '<img src="x" onerror="window.pwned = true">',
      "[click me](javascript:window.pwned=true)",
    ].join("\n\n");
    const { container } = render(<ArtifactView artifact={artifact("markdown", hostile)} />);
    expect(container.querySelector("script")).toBeNull();
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("[onerror]")).toBeNull();
    const link = screen.getByText("click me").closest("a");
    expect(link?.getAttribute("href") ?? "").not.toContain("javascript:");
    expect((window as unknown as { pwned?: boolean }).pwned).toBeUndefined();
    expect(container.innerHTML).not.toContain("<script");
  });

  test("a table artifact is a table with its columns in order; objects in cells are shown as JSON", () => {
    render(<ArtifactView artifact={artifact("table", { columns: ["region", "rows", "meta"], rows: [{ region: "eu", rows: 20, meta: { ok: true } }, { region: "us", rows: 30 }] })} />);
    const table = screen.getByRole("table", { name: "report" });
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual(["region", "rows", "meta"]);
    const rows = within(table).getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("cell").map((c) => c.textContent));
    expect(rows).toEqual([["eu", "20", '{"ok":true}'], ["us", "30", ""]]);
  });

  test("a link opens safely in a new tab; progress shows its percentage", () => {
    render(<ArtifactView artifact={artifact("link", { url: "https://example.com/x", text: "Dashboard" })} />);
    const link = screen.getByRole("link", { name: "Dashboard" });
    expect(link.getAttribute("href")).toBe("https://example.com/x");
    expect(link.getAttribute("rel")).toBe("noopener noreferrer");
    cleanup();
    render(<ArtifactView artifact={artifact("progress", 42.4, { description: "files loaded" })} />);
    expect(screen.getByLabelText("files loaded").getAttribute("value")).toBe("42.4");
    expect(screen.getByText(/42%/)).toBeTruthy();
  });
});
