import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Socket } from "node:net";
import { securityHeaders } from "./security.js";

/**
 * Answers Fastify and Node give before a request reaches any hook, so without the onSend
 * hook's headers and in Fastify's own shape: a URL that does not decode (400), a request line or
 * header block that does not parse (400), headers too large (431), a request too slow (408).
 * Here they get the security headers and Baton's `{ code, message }` like every other answer.
 */
export function frameworkErrorOptions(options: { tls: boolean }) {
  return {
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split("?")[0];
      const [status, code, message] =
        error.code === "FST_ERR_BAD_URL"
          ? [400, "InvalidUrl", `InvalidUrl: ${JSON.stringify(path)} is not a valid URL (a % that starts no escape); encode the path with encodeURIComponent`]
          : [400, "BadRequest", `BadRequest: ${error.message}`];
      void reply.code(status).headers(securityHeaders(request.url, options.tls)).send({ code, message });
    },
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: Socket) => {
      if (error.code === "ECONNRESET" || socket.destroyed) return;
      const [status, reason, code, message] =
        error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "Request Timeout", "RequestTimeout", "RequestTimeout: the request did not arrive in time; send it again"]
          : error.code === "HPE_HEADER_OVERFLOW"
            ? [431, "Request Header Fields Too Large", "HeadersTooLarge", "HeadersTooLarge: the request's headers are larger than the server accepts; send smaller headers (cookies)"]
            : [400, "Bad Request", "BadRequest", "BadRequest: the request is not valid HTTP"];
      const body = JSON.stringify({ code, message });
      // No URL is known here: the headers of an API answer.
      const headers = { ...securityHeaders("/api", options.tls), "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(body)), connection: "close" };
      if (socket.writable) {
        socket.write(`HTTP/1.1 ${status} ${reason}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n${body}`);
      }
      socket.destroy(error);
    },
  };
}
