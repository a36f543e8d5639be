import { API_VERSION, BATON_VERSION } from "@baton/core";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

/** The OpenAPI document (built from the same zod schemas that validate) and browsable docs. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "Baton API", version: BATON_VERSION, description: `Baton's REST API, version ${API_VERSION}` },
      // Every route needs one of these unless it says otherwise (health, ready, logging in).
      // The docs themselves stay open: they describe the API and hold no data.
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "An API key, bat_... (baton api-key create)" },
          basic: { type: "http", scheme: "basic", description: "BATON_SERVER_API_AUTH_STRING (user:password), acts as admin" },
        },
      },
      security: [{ apiKey: [] }, { basic: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
