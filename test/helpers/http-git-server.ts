import { execFileSync, spawn } from "node:child_process";
import http from "node:http";
import https from "node:https";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { tempDir } from "./tmp.js";
import { bareCopy, git } from "./git-repo.js";

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
  /** Every request as it came, before any check: what a host was sent (a token it should never see). */
  requests: { method: string; path: string; authorization: string | undefined }[];
  /** Hold every request from now on without answering (a server that hangs), until resume(). */
  hold(): void;
  resume(): void;
  addRepo(name: string, workRepo: string): void;
  /** Pushes the working repository's `main` to the served copy, as a developer's push would. */
  pushRepo(name: string, workRepo: string): void;
  stop(): Promise<void>;
}

export interface HttpGitServerOptions {
  /** The token every request must present; none: anyone may read (a public host). */
  token?: string;
  tls?: boolean;
  /** With a token: clones and fetches need no credential (a public or internal project); pushes still do. */
  publicRead?: boolean;
  /** Answer every request with a 302 to this base URL + the same path (a host that moved). */
  redirectTo?: string;
}

export async function startHttpGitServer(options: HttpGitServerOptions): Promise<HttpGitServer> {
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
  const requests: HttpGitServer["requests"] = [];
  let held = false;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization });
    if (held) return;
    if (options.redirectTo) {
      res.writeHead(302, { location: `${options.redirectTo}${req.url ?? "/"}` }).end();
      return;
    }
    const auth = req.headers.authorization ?? "";
    // Basic, as git sends it; "basic", as GitHub's checkout writes its extraheader.
    const [user, password] = Buffer.from(auth.replace(/^basic /i, ""), "base64").toString().split(":");
    const read = /[?&]service=git-upload-pack\b/.test(req.url ?? "") || /\/git-upload-pack$/.test((req.url ?? "").split("?")[0]!);
    const anonymous = options.token === undefined || (options.publicRead === true && read && !auth);
    if (!anonymous && (!/^basic /i.test(auth) || password !== options.token)) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"' }).end("unauthorized\n");
      return;
    }
    if (!anonymous) usernames.push(user ?? "");
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
    token: options.token ?? "",
    ...(caFile ? { caFile } : {}),
    usernames,
    requests,
    hold: () => {
      held = true;
    },
    resume: () => {
      held = false;
    },
    addRepo: (name, workRepo) => bareCopy(workRepo, join(root, `${name}.git`)),
    pushRepo: (name, workRepo) => void git(workRepo, "push", "-q", "--force", join(root, `${name}.git`), "main:main"),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      dir.remove();
    },
  };
}
