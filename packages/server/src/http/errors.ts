import { BatonError, ValidationError, type ApiErrorBody, type FieldIssue } from "@baton/core";
import type { FastifyError, FastifyInstance } from "fastify";
import { isConnectionLoss } from "../db/connection-loss.js";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";

const CONTEXT_NAMES: Record<string, string> = { body: "body", querystring: "query", params: "params", headers: "headers" };

/** `body` + `/state/type` -> `body.state.type`; list indexes stay numbers: `body.task_runs.3.id`. */
function issuePaths(context: string, instancePath: string, keyword: string, params: Record<string, unknown>): string[] {
  const base = [CONTEXT_NAMES[context] ?? context, ...instancePath.split("/").filter(Boolean)].join(".");
  // An unknown key is a problem with that key, not with the object that holds it.
  if (keyword === "unrecognized_keys" && Array.isArray(params.keys)) return params.keys.map((key) => `${base}.${String(key)}`);
  return [base];
}

/** Each zod issue of a failed request validation as `{ path, message }`, the path naming the field. */
function validationIssues(error: { validationContext?: string }, issues: readonly { instancePath: string; keyword: string; message?: string; params: unknown }[]): FieldIssue[] {
  const context = error.validationContext ?? "body";
  return issues.flatMap((issue) =>
    issuePaths(context, issue.instancePath, issue.keyword, issue.params as Record<string, unknown>).map((path) => ({ path, message: issue.message ?? "is not valid" })),
  );
}

/** pg's DatabaseError of class 22 (data exception: bad encoding, out-of-range number...). */
function isPostgresDataException(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown };
  return typeof e.code === "string" && e.code.length === 5 && e.code.startsWith("22") && typeof e.severity === "string";
}

function body(code: string, message: string, issues?: FieldIssue[]): ApiErrorBody {
  return issues && issues.length > 0 ? { code, message, issues } : { code, message };
}

/** Seconds a client should wait before sending a request again that failed on a lost database connection. */
const DATABASE_RETRY_AFTER_SECONDS = 1;

/**
 * One place turns every failure into `{ code, message, issues? }` with the right status:
 * bad input is a 4xx naming the field, never a 500.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = validationIssues(error as { validationContext?: string }, error.validation);
      const message = `ValidationError: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`;
      return reply.status(422).send(body("ValidationError", message, issues));
    }
    if (error instanceof ValidationError) return reply.status(error.status).send(body(error.code, error.message, error.issues));
    if (error instanceof BatonError) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      return reply.status(error.status).send(body(error.code, error.message));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, "a response did not match its schema");
      return reply.status(500).send(body("InternalServerError", `InternalServerError: the server built an invalid answer for ${error.method} ${error.url}; this is a bug in Baton, please report it`));
    }
    switch (error.code) {
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return reply.status(400).send(body("InvalidJson", `InvalidJson: the request body is not valid JSON (${error.message}); send a JSON document with content-type application/json`));
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
        return reply.status(400).send(body("InvalidJson", "InvalidJson: the request says it is JSON but its body is empty; send a JSON document"));
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return reply.status(413).send(body("PayloadTooLarge", `PayloadTooLarge: the request body is larger than the server accepts (${request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} bytes for ${request.method} ${request.url.split("?")[0]}); send it in smaller batches`));
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return reply.status(415).send(body("UnsupportedMediaType", `UnsupportedMediaType: the server reads JSON bodies only; send content-type application/json`));
    }
    if (error instanceof SyntaxError && error.statusCode === 400) {
      return reply.status(400).send(body("InvalidJson", `InvalidJson: the request body is not valid JSON (${error.message}); send a JSON document`));
    }
    if (isPostgresDataException(error)) {
      // A value the schemas let through but PostgreSQL cannot store (a NUL in a name, say).
      return reply.status(422).send(body("ValidationError", `ValidationError: the database cannot store a value of this request: ${error.message}; remove unusual characters and try again`));
    }
    if (isConnectionLoss(error)) {
      // The pool reconnects by itself: the same request will work again shortly.
      request.log.warn({ err: error }, "a request failed on a lost database connection");
      return reply
        .status(503)
        .header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS))
        .send({
          ...body("DatabaseUnavailable", `DatabaseUnavailable: the server lost its connection to the database (${error.message}); it reconnects by itself: send the request again in a moment`),
          retryable: true,
        });
    }
    if (/^SQLITE_BUSY/.test(String((error as { code?: unknown }).code))) {
      return reply.status(503).send(body("DatabaseBusy", "DatabaseBusy: another process held the SQLite database for too long; try again"));
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return reply.status(500).send(body("InternalServerError", `InternalServerError: ${error.message}; the server log has the details (request ${request.id})`));
    }
    return reply.status(status).send(body(error.code ?? "BadRequest", error.message));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(body("RouteNotFound", `RouteNotFound: no route ${request.method} ${request.url.split("?")[0]}; the API is listed at /api/docs (/api/openapi.json)`)),
  );
}
