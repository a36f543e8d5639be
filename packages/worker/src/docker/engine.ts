import { createRequire } from "node:module";
import { BatonError } from "@baton/core";
import type Docker from "dockerode";

// dockerode (and its HTTP and SSH stack, ~15 MB and a second of import on a busy machine) is
// loaded when a Docker engine is first needed, not by every worker that imports this package.
const require = createRequire(import.meta.url);
let dockerode: typeof Docker | undefined;
const DockerClient = (): typeof Docker => (dockerode ??= require("dockerode") as typeof Docker);

export class DockerUnavailable extends BatonError {
  override readonly code = "DockerUnavailable";
  override readonly status = 503;
}

/**
 * A client for the engine at DOCKER_HOST: `unix:///path/docker.sock` (the default is
 * /var/run/docker.sock) or `tcp://host:port`.
 */
export function dockerFromHost(host = process.env.DOCKER_HOST): { docker: Docker; host: string } {
  const target = host?.trim() || "unix:///var/run/docker.sock";
  const Client = DockerClient();
  if (target.startsWith("unix://")) return { docker: new Client({ socketPath: target.slice("unix://".length) }), host: target };
  if (target.startsWith("/")) return { docker: new Client({ socketPath: target }), host: `unix://${target}` };
  const m = /^tcp:\/\/([^:/]+)(?::(\d+))?\/?$/.exec(target);
  if (m) return { docker: new Client({ host: m[1]!, port: Number(m[2] ?? 2375), protocol: "http" }), host: target };
  throw new DockerUnavailable(`DockerUnavailable: DOCKER_HOST is "${target}"; set it to unix:///path/to/docker.sock or tcp://host:port`);
}

/** An error from the engine, said so that a user knows whether Docker or the job is at fault. */
export function engineError(error: unknown, host: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ECONNREFUSED" || code === "EACCES") {
    return new DockerUnavailable(
      `DockerUnavailable: cannot reach the Docker engine at ${host} (${code}); start Docker, set DOCKER_HOST, or give the worker access to the socket`,
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** The engine's own message from a dockerode error (its `json.message`), else the error's. */
export function engineMessage(error: unknown): string {
  const json = (error as { json?: { message?: string } | null }).json;
  const message = typeof json?.message === "string" ? json.message : error instanceof Error ? error.message : String(error);
  // docker-modem prefixes the engine's message with "(HTTP code 500) server error - ".
  return message.replace(/^\(HTTP code \d+\)[^-]*- /, "").trim();
}

export const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number }).statusCode;
