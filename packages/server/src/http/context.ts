import type { FastifyInstance } from "fastify";
import type { BatonDatabase } from "../db/open.js";

/** What route modules get: the app to mount on and the database. */
export interface RouteContext {
  app: FastifyInstance;
  database: BatonDatabase;
}
