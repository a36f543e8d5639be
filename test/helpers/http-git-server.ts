import { execFileSync, spawn } from "node:child_process";
import http from "node:http";
import https from "node:https";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { tempDir } from "./tmp.js";
import { bareCopy } from "./git-repo.js";

/**
 * `git http-backend` (the CGI program git ships) behind a Node server that checks HTTP Basic
 * auth against one token, the way GitLab checks a project access token. HTTPS with a
 * self-signed certificate when asked.
 */
export interface HttpGitServer {
  url(name: string): string;
  token: string;
  /** For HTTPS: the certificate to trust (what GIT_SSL_CAINFO takes). */
  caFile?: string;
  /** Every user name that presented the right token, to check which one the client sent. */
  usernames: string[];
  addRepo(name: string, workRepo: string): void;
  stop(): Promise<void>;
}

export async function startHttpGitServer(options: { token: string; tls?: boolean }): Promise<HttpGitServer> {
  const dir = tempDir("baton-httpgit-");
  const root = join(dir.path, "repos");
  const usernames: string[] = [];
  let caFile: string | undefined;
  let tlsOptions: { key: Buffer; cert: Buffer } | undefined;
  if (options.tls) {
    const key = join(dir.path, "key.pem");
    caFile = join(dir.path, "cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", caFile, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
    tlsOptions = { key: readFileSync(key), cert: readFileSync(caFile) };
  }
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const auth = req.headers.authorization ?? "";
    const [user, password] = Buffer.from(auth.replace(/^Basic /, ""), "base64").toString().split(":");
    if (!auth.startsWith("Basic ") || password !== options.token) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' }).end("unauthorized\n");
      return;
    }
    usernames.push(user ?? "");
    const url = new URL(req.url ?? "/", "http://x");
    const cgi = spawn("/usr/lib/git-core/git-http-backend", [], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        REQUEST_METHOD: req.method,
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        CONTENT_LENGTH: req.headers["content-length"] ?? "",
        HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
        GIT_PROTOCOL: (req.headers["git-protocol"] as string | undefined) ?? "",
        REMOTE_USER: user ?? "",
      },
    });
    req.pipe(cgi.stdin);
    let buffer = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of buffer.subarray(0, end).toString().split("\r\n")) {
        const i = line.indexOf(":");
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(buffer.subarray(end + 4));
    });
    cgi.on("close", () => res.end());
  };
  const server = tlsOptions ? https.createServer(tlsOptions, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const scheme = tlsOptions ? "https" : "http";
  return {
    url: (name) => `${scheme}://127.0.0.1:${port}/${name}.git`,
    token: options.token,
    ...(caFile ? { caFile } : {}),
    usernames,
    addRepo: (name, workRepo) => bareCopy(workRepo, join(root, `${name}.git`)),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      dir.remove();
    },
  };
}
