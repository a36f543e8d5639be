import { describe, expect, it } from "vitest";
import { UnsupportedWorkPoolType, infrastructureFor, INFRASTRUCTURES } from "./infrastructures.js";
import { resolveWorkerOptions, WORKER_DEFAULTS } from "./options.js";

describe("worker options", () => {
  it("fills every default in one place", () => {
    const resolved = resolveWorkerOptions({ pool: "p" });
    expect(resolved).toMatchObject({ limit: 10, pollWaitSeconds: 20, heartbeatSeconds: 10, cancelCheckSeconds: 2, graceSeconds: 30, leaseSeconds: 120, adoptionSeconds: 30 });
    expect(resolved.name).toMatch(new RegExp(`-${process.pid}$`));
  });

  it("keeps what is given and looks for orphaned runs every three heartbeats, at most every 10 s", () => {
    expect(resolveWorkerOptions({ pool: "p", name: "w", heartbeatSeconds: 1, limit: 2 })).toMatchObject({ name: "w", limit: 2, adoptionSeconds: WORKER_DEFAULTS.minAdoptionSeconds });
    expect(resolveWorkerOptions({ pool: "p", heartbeatSeconds: 20 }).adoptionSeconds).toBe(60);
  });

  it.each([0, 1.5, -1, Number.NaN])("refuses limit %s, naming the option", (limit) => {
    expect(() => resolveWorkerOptions({ pool: "p", limit })).toThrow(/limit must be a whole number >= 1/);
  });
});

describe("the registry of infrastructures", () => {
  it("has one entry per pool type the worker runs", () => {
    expect(Object.keys(INFRASTRUCTURES)).toEqual(["process", "docker", "kubernetes"]);
  });

  it("names the pool and the types it runs for a type without an entry", async () => {
    const pool = { name: "cloud", type: "ecs" } as unknown as Parameters<typeof infrastructureFor>[0];
    const worker = {} as Parameters<typeof infrastructureFor>[1];
    await expect(infrastructureFor(pool, worker)).rejects.toThrow(UnsupportedWorkPoolType);
    await expect(infrastructureFor(pool, worker)).rejects.toThrow('work pool "cloud" is a ecs pool; this worker runs process, docker and kubernetes pools; use one of those');
  });
});
