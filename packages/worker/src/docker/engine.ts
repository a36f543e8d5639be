import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
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

/** The schemes the Docker CLI takes in DOCKER_HOST (npipe is Windows'). */
const DOCKER_HOST_SCHEMES = ["unix:", "tcp:", "ssh:", "npipe:"];

/**
 * A client for the engine the environment names, read as the Docker CLI reads it, by docker-modem
 * itself: DOCKER_HOST (`unix:///path/docker.sock`, the default /var/run/docker.sock;
 * `tcp://host:port`; `ssh://user@host`), DOCKER_TLS_VERIFY and DOCKER_CERT_PATH (ca.pem, cert.pem,
 * key.pem) for TLS. Parsing DOCKER_HOST by hand once sent tcp://host:2376 over plain HTTP and
 * refused ssh://. `host` (for tests and embedding) names a unix socket and ignores the environment.
 */
export function dockerFromHost(host?: string, env: NodeJS.ProcessEnv = process.env): { docker: Docker; host: string } {
  const Client = DockerClient();
  const socket = host?.trim();
  if (socket) {
    const path = socket.startsWith("unix://") ? socket.slice("unix://".length) : socket;
    if (!path.startsWith("/")) throw new DockerUnavailable(`DockerUnavailable: the Docker host "${socket}" given to the worker is not a unix socket; name other engines with DOCKER_HOST`);
    return { docker: new Client({ socketPath: path }), host: `unix://${path}` };
  }
  const fromEnv = env.DOCKER_HOST?.trim();
  if (!fromEnv) return { docker: new Client({ socketPath: "/var/run/docker.sock" }), host: "unix:///var/run/docker.sock" };
  if (fromEnv.includes("://") && !DOCKER_HOST_SCHEMES.some((scheme) => fromEnv.startsWith(`${scheme}//`))) {
    throw new DockerUnavailable(`DockerUnavailable: DOCKER_HOST is "${fromEnv}"; set it as for the docker CLI: unix:///path/to/docker.sock, tcp://host:port (with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH for TLS) or ssh://user@host`);
  }
  // The Docker CLI turns TLS on for any non-empty DOCKER_TLS_VERIFY and looks in ~/.docker for the
  // certificates when DOCKER_CERT_PATH is unset; docker-modem wants "1" and the path.
  // Over ssh:// there is no TLS (docker-modem would switch to https on DOCKER_TLS_VERIFY=1).
  const ssh = fromEnv.startsWith("ssh://");
  const tls = ssh ? { DOCKER_TLS_VERIFY: undefined } : env.DOCKER_TLS_VERIFY ? { DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: env.DOCKER_CERT_PATH || join(homedir(), ".docker") } : {};
  try {
    return { docker: withEnvironment({ ...env, DOCKER_HOST: fromEnv, ...tls }, () => new Client()), host: fromEnv };
  } catch (error) {
    // A certificate file that is missing or unreadable, or a DOCKER_HOST that is not a URL.
    throw new DockerUnavailable(`DockerUnavailable: cannot use DOCKER_HOST "${fromEnv}": ${(error as Error).message}; check DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH`, { cause: error });
  }
}

/** docker-modem reads process.env when a client is made: give it the environment asked for. */
function withEnvironment<T>(env: NodeJS.ProcessEnv, make: () => T): T {
  const names = ["DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_PATH_PREFIX", "DOCKER_CLIENT_TIMEOUT", "SSH_AUTH_SOCK"];
  const saved = names.map((name) => [name, process.env[name]] as const);
  try {
    for (const name of names) {
      if (env[name] === undefined) delete process.env[name];
      else process.env[name] = env[name];
    }
    return make();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
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
  if (typeof code === "string" && /CERT|SSL|TLS|ECONNRESET|EPROTO/.test(code)) {
    return new DockerUnavailable(
      `DockerUnavailable: the TLS connection to the Docker engine at ${host} failed (${code}: ${(error as Error).message.split("\n")[0]!.trim()}); set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to a folder with the engine's ca.pem and this client's cert.pem and key.pem, as for the docker CLI`,
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

/**
 * Creates a container with its spec in the request body only. dockerode's createContainer
 * also writes every option into the URL's query string, env (secrets, the run's token)
 * included, where proxies and the engine's debug log record it; docker-modem sends `_query` as
 * the query and `_body` as the body instead.
 */
export function createContainer(docker: Docker, spec: Docker.ContainerCreateOptions): Promise<Docker.Container> {
  const { name, ...body } = spec;
  return docker.createContainer({ _query: name ? { name } : {}, _body: body } as unknown as Docker.ContainerCreateOptions);
}
