import type { Output } from "./io.js";

/** What a link needs of the command's context (the CommandContext, passed in: output/ sits below it). */
export interface LinkContext {
  out: Output;
  settings(): { get(name: "BATON_UI_URL"): string | undefined };
}

/** A page of the web UI (its router's paths: packages/ui/src/app/App.tsx). */
export type UiPage = { flowRun: string } | { deployment: string } | { workPool: string };

function pathOf(page: UiPage): string {
  if ("flowRun" in page) return `/runs/${encodeURIComponent(page.flowRun)}`;
  if ("deployment" in page) return `/deployments/${encodeURIComponent(page.deployment)}`;
  return `/work-pools/${encodeURIComponent(page.workPool)}`;
}

/** The page's address when BATON_UI_URL says where the UI is; else none (nothing is guessed). */
export function uiLink(ctx: LinkContext, page: UiPage): string | undefined {
  const base = ctx.settings().get("BATON_UI_URL");
  return base ? `${base.replace(/\/+$/, "")}${pathOf(page)}` : undefined;
}

/** `View it in the UI: URL` on stderr, as Prefect prints its links, so stdout stays the result. */
export function noteUiLink(ctx: LinkContext, page: UiPage): void {
  const link = uiLink(ctx, page);
  if (link) ctx.out.note(`View it in the UI: ${link}`);
}
