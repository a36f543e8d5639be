import { execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import https from "node:https";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBaton } from "../helpers/cli.js";
import { startBatonServer } from "../helpers/baton-server.js";
import { tempDir } from "../helpers/tmp.js";

/** A private CA and a certificate it signed for 127.0.0.1, as an operator would make them. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string; otherCa: string } {
  const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Baton Test CA"]);
  openssl(["req", "-x509", ...ec, "-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=Someone Else's CA"]);
  openssl(["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
  writeFileSync(join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf"]);
  return { ca: join(dir, "ca.pem"), cert: join(dir, "server.pem"), key: join(dir, "server.key"), otherCa: join(dir, "other-ca.pem") };
}

describe("baton server start --tls-cert --tls-key, and the client's TLS settings", () => {
  let home: { path: string; remove(): void };
  let certs: ReturnType<typeof makeCertificates>;
  let server: ChildProcess & { output(): string };
  let apiUrl: string;
  // The server's first admin key is chosen here, so the commands below pass authentication
  // (a server without authentication ignores both settings).
  const adminKey = `bat_${randomBytes(32).toString("base64url")}`;
  const baton = (args: string[], env: Record<string, string> = {}) => runBaton(args, { env: { BATON_HOME: home.path, BATON_API_URL: apiUrl, BATON_API_KEY: adminKey, ...env } });

  beforeAll(async () => {
    home = tempDir("baton-tls-");
    certs = makeCertificates(home.path);
    const started = await startBatonServer({ home: home.path, tls: true, args: ["--tls-cert", certs.cert, "--tls-key", certs.key], env: { BATON_SERVER_BOOTSTRAP_API_KEY: adminKey } });
    apiUrl = started.apiUrl;
    server = started.child;
  }, 90_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("close", resolve));
    }
    home?.remove();
  });

  it("says it listens on https", () => {
    expect(server.output()).toMatch(/Baton server listening on https:\/\/127\.0\.0\.1:\d+/);
  });

  it("serves HTTPS with Strict-Transport-Security, trusted with the private CA", async () => {
    const answer = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      https
        .get(`${apiUrl}/health`, { ca: readFileSync(certs.ca) }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
        })
        .on("error", reject);
    });
    expect(answer.status).toBe(200);
    expect(answer.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("works from the command line with BATON_API_SSL_CERT_FILE", async () => {
    const result = await baton(["work-pool", "ls"], { BATON_API_SSL_CERT_FILE: certs.ca });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain("Warning");
  });

  it("trusts the CA given as text in BATON_API_SSL_CERT, the way a worker hands it to a run in a container", async () => {
    const result = await baton(["work-pool", "ls"], { BATON_API_SSL_CERT: readFileSync(certs.ca, "utf8") });
    expect(result.stderr).not.toContain("ApiTlsError");
    expect(result.code, result.stderr).toBe(0);
  });

  it("hands a worker's CA file to its runs as text, with skip-verify passed on", async () => {
    const { tlsTrustForRuns } = await import("@baton/worker");
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { BATON_HOME: home.path, BATON_API_SSL_CERT_FILE: certs.ca, BATON_API_TLS_INSECURE_SKIP_VERIFY: "true" });
      expect(tlsTrustForRuns()).toEqual({ BATON_API_SSL_CERT: readFileSync(certs.ca, "utf8"), BATON_API_TLS_INSECURE_SKIP_VERIFY: "true" });
      delete process.env.BATON_API_SSL_CERT_FILE;
      delete process.env.BATON_API_TLS_INSECURE_SKIP_VERIFY;
      expect(tlsTrustForRuns()).toEqual({});
    } finally {
      process.env = saved;
    }
  });

  it("refuses the certificate without the CA, with a message saying what to set and no stack", async () => {
    const result = await baton(["work-pool", "ls"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("ApiTlsError");
    expect(result.stderr).toContain("BATON_API_SSL_CERT_FILE");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("names the CA file when it is not the CA that signed the certificate, or does not exist", async () => {
    const wrong = await baton(["work-pool", "ls"], { BATON_API_SSL_CERT_FILE: certs.otherCa });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(`the CA in BATON_API_SSL_CERT_FILE (${certs.otherCa}) did not sign it`);
    const missing = await baton(["work-pool", "ls"], { BATON_API_SSL_CERT_FILE: join(home.path, "nope.pem") });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(`BATON_API_SSL_CERT_FILE ${join(home.path, "nope.pem")} does not exist`);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it("skips verification with BATON_API_TLS_INSECURE_SKIP_VERIFY, warning once", async () => {
    const result = await baton(["work-pool", "ls"], { BATON_API_TLS_INSECURE_SKIP_VERIFY: "true" });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/BATON_API_TLS_INSECURE_SKIP_VERIFY is on/g)).toHaveLength(1);
  });

  it("tells a client that speaks TLS to a plain HTTP server what is wrong", async () => {
    const plainHome = tempDir("baton-plain-");
    try {
      const plain = await startBatonServer({ home: plainHome.path, env: { BATON_SERVER_BOOTSTRAP_API_KEY: adminKey } });
      try {
        const result = await runBaton(["work-pool", "ls"], { env: { BATON_HOME: home.path, BATON_API_URL: `https://127.0.0.1:${plain.port}/api` } });
        expect(result.code).not.toBe(0);
        expect(result.stderr).toContain("does not speak TLS");
      } finally {
        await plain.stop();
      }
    } finally {
      plainHome.remove();
    }
  });

  it("refuses to start with a missing or mismatched certificate file, naming the file", async () => {
    const missing = await runBaton(["server", "start", "--port", "0", "--tls-cert", join(home.path, "missing.pem"), "--tls-key", certs.key], { env: { BATON_HOME: home.path } });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(`the TLS certificate file ${join(home.path, "missing.pem")} (--tls-cert) does not exist`);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const onlyCert = await runBaton(["server", "start", "--port", "0"], { env: { BATON_HOME: home.path, BATON_SERVER_TLS_CERT_FILE: certs.cert } });
    expect(onlyCert.code).not.toBe(0);
    expect(onlyCert.stderr).toContain(`a TLS certificate (${certs.cert}) was given without its key`);
    const mismatched = await runBaton(["server", "start", "--port", "0", "--tls-cert", certs.cert, "--tls-key", join(home.path, "ca.key")], { env: { BATON_HOME: home.path } });
    expect(mismatched.code).not.toBe(0);
    expect(mismatched.stderr).toContain("the key is not the key of this certificate");
  });
});
