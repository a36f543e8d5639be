import type { z } from "zod";

/**
 * What a caller must be allowed to do to use a route. Each route names one; the
 * authentication layer maps API-key roles onto these, once, for every route.
 * - none: open (health checks, logging in)
 * - any: any valid credential (who am I, log out)
 * - read: look at anything but secret values
 * - deploy: create and change flows, deployments, schedules, variables
 * - run: start, retry and cancel runs
 * - work: what workers and running flows do: claim, heartbeat, set states, write logs
 * - admin: work pools, secrets, API keys
 */
export type Permission = "none" | "any" | "read" | "deploy" | "run" | "work" | "admin";

export interface RouteDef {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Fastify path syntax under `/api`: `/flow_runs/:id`. */
  path: string;
  permission: Permission;
  summary: string;
  params?: z.ZodTypeAny;
  query?: z.ZodTypeAny;
  body?: z.ZodTypeAny;
  /** Success status and body schema. */
  status: number;
  response: z.ZodTypeAny;
}

/** Keeps a route's literal types (its path, its schemas) while checking it is a route. */
export const def = <const T extends RouteDef>(route: T): T => route;
