import { describe, expect, it } from "vitest";
import Fastify from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { routes } from "@baton/core";
import { mountRoute } from "./mount.js";

describe("mountRoute", () => {
  it("puts the route's permission in its config, where one auth hook can read it for every route", async () => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    const seen: unknown[] = [];
    app.addHook("onRequest", async (request) => {
      seen.push(request.routeOptions.config.permission);
    });
    mountRoute(app, routes.health, async () => ({ status: "ok" as const }));
    mountRoute(app, routes.heartbeatFlowRun, async () => ({ state_type: "RUNNING" as const, state_name: "Running" }));
    await app.inject({ method: "GET", url: "/health" });
    const beat = await app.inject({ method: "POST", url: "/flow_runs/0190a0a0-0000-7000-8000-000000000000/heartbeat" });
    expect(beat.statusCode).toBe(200);
    expect(seen).toEqual(["none", "work"]);
    await app.close();
  });

  it("refuses to send an answer that breaks the contract", async () => {
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    // @ts-expect-error: the handler's return type is checked against the route's response schema
    mountRoute(app, routes.health, async () => ({ status: "broken" }));
    const answer = await app.inject({ method: "GET", url: "/health" });
    expect(answer.statusCode).toBe(500);
    await app.close();
  });
});
