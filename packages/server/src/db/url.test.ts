import { describe, expect, it } from "vitest";
import { InvalidDatabaseUrl, parseDatabaseUrl, redactDatabaseUrl } from "./url.js";

describe("database URLs", () => {
  it("reads SQLite file and memory URLs and PostgreSQL URLs", () => {
    expect(parseDatabaseUrl("sqlite:///home/me/.baton/baton.db")).toEqual({ kind: "sqlite", filename: "/home/me/.baton/baton.db" });
    expect(parseDatabaseUrl("sqlite::memory:")).toEqual({ kind: "sqlite", filename: ":memory:" });
    expect(parseDatabaseUrl("postgres://u:p@h/db")).toEqual({ kind: "postgresql", connectionString: "postgres://u:p@h/db" });
    expect(parseDatabaseUrl("postgresql://h/db").kind).toBe("postgresql");
  });

  it("refuses relative SQLite paths and unknown schemes with the fix in the message", () => {
    expect(() => parseDatabaseUrl("sqlite://baton.db")).toThrow(/absolute/);
    expect(() => parseDatabaseUrl("mysql://root:hunter2@h/db")).toThrow(InvalidDatabaseUrl);
    expect(() => parseDatabaseUrl("mysql://root:hunter2@h/db")).not.toThrow(/hunter2/);
  });

  it("hides passwords", () => {
    expect(redactDatabaseUrl("postgresql://baton:s3cret@db:5432/baton")).toBe("postgresql://baton:****@db:5432/baton");
    expect(redactDatabaseUrl("postgresql://db/baton?password=s3cret")).not.toContain("s3cret");
    expect(redactDatabaseUrl("sqlite:///tmp/baton.db")).toBe("sqlite:///tmp/baton.db");
  });
});
