import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/helpers/databases.js";
import { waitFor } from "../../../test/helpers/cli.js";

describe("the server's start line", () => {
  it("names the address and the database, never its password", async () => {
    const database = await createTestDatabase("postgresql");
    // The machine's PostgreSQL trusts local connections, so any password gets in; it must not get out.
    const url = database.url.replace("postgresql://postgres@", "postgresql://postgres:hunter2@");
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", `import { startServer } from "@baton/server"; await startServer({ databaseUrl: ${JSON.stringify(url)}, port: 0 });`],
      { cwd: new URL("..", import.meta.url).pathname, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    try {
      const line = await waitFor(() => output.split("\n").find((l) => l.includes("listening on")), "the start line");
      expect(line).toMatch(/Baton server listening on http:\/\/127\.0\.0\.1:\d+/);
      expect(line).toContain("postgres:****@");
      expect(output).not.toContain("hunter2");
    } finally {
      child.kill("SIGKILL");
      await new Promise((r) => child.on("close", r));
      await database.drop();
    }
  });
});
