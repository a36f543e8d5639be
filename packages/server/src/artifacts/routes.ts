import { routes } from "@baton/core";
import type { RouteContext } from "../http/context.js";
import { mountRoute } from "../http/mount.js";
import { createArtifact, deleteArtifact, listArtifacts, readArtifact, updateArtifact } from "./store.js";

export function artifactRoutes({ app, database }: RouteContext): void {
  const db = database.db;
  mountRoute(app, routes.createArtifact, ({ body }) => createArtifact(db, body, new Date()));
  mountRoute(app, routes.updateArtifact, ({ params, body }) => updateArtifact(db, params.id, body, new Date()));
  mountRoute(app, routes.listArtifacts, ({ query }) => listArtifacts(db, query));
  mountRoute(app, routes.readArtifact, ({ params }) => readArtifact(db, params.id));
  mountRoute(app, routes.deleteArtifact, async ({ params }) => {
    await deleteArtifact(db, params.id);
    return null;
  });
}
