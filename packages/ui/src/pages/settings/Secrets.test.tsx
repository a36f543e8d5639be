// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { Secret } from "../../api/types";
import { SessionProvider } from "../../session/session";
import { ADMIN_SESSION, fakeApi } from "../../test/fake-api";
import { Secrets } from "./Secrets";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// An OpenSSH key as ssh-keygen writes it: the line breaks are the part a one-line input loses.
const KEY = [
  "-----BEGIN OPENSSH PRIVATE KEY-----",
  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
  "QyNTUxOQAAACBlbUxj2KX3cJ5Jr0sZ8Pqv2x6n1k5o9Yd3J8VxH2c1wAAAAJgXb0yZF29M",
  "-----END OPENSSH PRIVATE KEY-----",
  "",
].join("\n");

function saved(value: { work_pools?: string[]; deployments?: string[] }): Secret {
  return {
    name: "deploy-key",
    work_pools: value.work_pools ?? [],
    deployments: value.deployments ?? [],
    created: "2026-12-06T22:00:00.000Z",
    updated: "2026-12-06T22:00:00.000Z",
  } as Secret;
}

function renderSecrets() {
  const api = fakeApi({
    "GET /auth/session": { body: ADMIN_SESSION },
    "GET /secrets": { body: { items: [], next_cursor: null } },
    "PUT /secrets/deploy-key": (request) => ({ body: saved(request.body as { work_pools?: string[] }) }),
  });
  render(<SessionProvider>{() => <Secrets />}</SessionProvider>);
  return { api, user: userEvent.setup() };
}

describe("the secret value field", () => {
  test("a pasted multi-line key is sent with its line breaks, and the box grows to show them", async () => {
    const { api, user } = renderSecrets();
    await user.type(await screen.findByLabelText("Secret name"), "deploy-key");
    const value = screen.getByLabelText("Secret value");
    expect(value.tagName).toBe("TEXTAREA");
    await user.click(value);
    await user.paste(KEY);
    expect((value as HTMLTextAreaElement).value).toBe(KEY);
    expect(value.getAttribute("rows")).toBe("5");
    await user.type(screen.getByLabelText(/^Work pools/), "ssh-pool");
    await user.click(screen.getByRole("button", { name: "Set secret" }));

    expect(await screen.findByRole("status")).toHaveProperty("textContent", expect.stringContaining('Secret "deploy-key" saved. Usable by pools ssh-pool'));
    const put = api.sent.find((r) => r.method === "PUT");
    expect(put?.path).toBe("/secrets/deploy-key");
    expect(put?.body).toEqual({ value: KEY, work_pools: ["ssh-pool"] });
    expect(put?.headers["x-baton-csrf"]).toBe("csrf-1");
    // The form empties: the value is not left on screen once saved.
    expect((value as HTMLTextAreaElement).value).toBe("");
  });

  test("a chosen file is read into the field byte for byte (CRLF and trailing newline kept) and sent as is", async () => {
    const { api, user } = renderSecrets();
    await user.type(await screen.findByLabelText("Secret name"), "deploy-key");
    const crlf = KEY.replaceAll("\n", "\r\n");
    await user.upload(screen.getByLabelText("Secret value from a file"), new File([crlf], "id_ed25519", { type: "application/octet-stream" }));
    const value = screen.getByLabelText("Secret value") as HTMLTextAreaElement;
    await vi.waitFor(() => expect(value.value).toBe(crlf));
    // The picker is reset, so choosing the same file again reads it again.
    expect((screen.getByLabelText("Secret value from a file") as HTMLInputElement).value).toBe("");
    await user.click(screen.getByRole("button", { name: "Set secret" }));
    await screen.findByRole("status");
    expect(api.sent.find((r) => r.method === "PUT")?.body).toEqual({ value: crlf });
  });
});
