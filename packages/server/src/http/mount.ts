import { routes, type Permission, type RouteDef } from "@baton/core";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import type { z } from "zod";

declare module "fastify" {
  interface FastifyContextConfig {
    /** What the caller must be allowed to do; the auth layer reads it for every route. */
    permission?: Permission;
    /** The route's name in the API table (`upsertDeployment`): what the audit log and run-token scopes name. */
    routeName?: string;
  }
}

/** Route definition -> its name in the table; mountRoute gets the definition, auth needs the name. */
const ROUTE_NAMES = new Map<RouteDef, string>(Object.entries(routes as Record<string, RouteDef>).map(([name, route]) => [route, name]));

type Parsed<R, K extends string> = R extends Record<K, z.ZodTypeAny> ? z.output<R[K]> : undefined;

export interface RouteInput<R extends RouteDef> {
  params: Parsed<R, "params">;
  query: Parsed<R, "query">;
  body: Parsed<R, "body">;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type RouteHandler<R extends RouteDef> = (input: RouteInput<R>) => Promise<z.input<R["response"]>>;

/**
 * Mount one route of the API table: its method, path, schemas (validation, serialization
 * and OpenAPI) and permission all come from the definition in `@baton/core`, so no route
 * can drift from the contract the client is typed against.
 */
export function mountRoute<R extends RouteDef>(app: FastifyInstance, route: R, handler: RouteHandler<R>, options: Pick<RouteOptions, "bodyLimit" | "preParsing"> = {}): void {
  const tag = route.path.split("/")[1] ?? "api";
  app.route({
    ...options,
    method: route.method,
    url: route.path,
    config: { permission: route.permission, routeName: ROUTE_NAMES.get(route) },
    schema: {
      summary: route.summary,
      tags: [tag],
      // Open routes say so in the OpenAPI document; the rest need the document's security schemes.
      ...(route.permission === "none" ? { security: [] } : {}),
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { querystring: route.query } : {}),
      ...(route.body ? { body: route.body } : {}),
      response: { [route.status]: route.response },
    },
    handler: async (request, reply) => {
      const output = await handler({
        params: request.params as Parsed<R, "params">,
        query: request.query as Parsed<R, "query">,
        body: request.body as Parsed<R, "body">,
        request,
        reply,
      });
      reply.status(route.status);
      if (route.status === 204) return reply.send();
      return output;
    },
  });
}
