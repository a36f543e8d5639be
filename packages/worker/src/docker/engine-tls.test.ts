import { execFileSync } from "node:child_process";
import { Writable } from "node:stream";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dockerUnavailableReason, startDockerEngine, type DockerEngine } from "../../../../test/helpers/docker-engine.js";
import { makeDockerTlsFiles, type DockerTlsFiles } from "../../../../test/helpers/docker-tls.js";
import { freePort, tempDir } from "../../../../test/helpers/tmp.js";
import type { ClaimedRun } from "@baton/core";
import { followOutput } from "./container-output.js";
import { DockerInfrastructure } from "./docker-infrastructure.js";
import { dockerFromHost, engineError } from "./engine.js";

const IMAGE = "local/busybox:latest";
const unavailable = dockerUnavailableReason();

/** Runs `script` in a busybox container through `docker` and returns what the worker would print. */
async function outputOf(docker: Docker, script: string): Promise<{ stdout: string; stderr: string; tail: string }> {
  const texts = { stdout: "", stderr: "" };
  const target = (name: "stdout" | "stderr") =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        texts[name] += chunk.toString("utf8");
        callback();
      },
    });
  const container = await docker.createContainer({ Image: IMAGE, Cmd: ["sh", "-c", script], HostConfig: { NetworkMode: "none" } });
  try {
    const output = await followOutput(docker, container, { streamOutput: true, prefix: "[swift-otter] ", targets: { stdout: target("stdout"), stderr: target("stderr") } });
    await container.start();
    await container.wait();
    await output.done;
    return { ...texts, tail: output.tail.text() };
  } finally {
    await container.remove({ force: true });
  }
}

describe.skipIf(unavailable)(`the Docker engine as DOCKER_HOST names it, over TLS${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  let engine: DockerEngine;
  let tls: DockerTlsFiles;
  let port: number;
  const certs = tempDir("baton-docker-tls-");

  beforeAll(async () => {
    tls = makeDockerTlsFiles(certs.path);
    port = await freePort();
    engine = await startDockerEngine({ extraArgs: tls.daemonArgs(port) });
    engine.importBusybox(IMAGE);
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
    certs.remove();
  });

  test("tcp:// with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH speaks TLS with the client's certificate, as the docker CLI does", async () => {
    const env = { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: tls.clientCertPath };
    // The docker CLI itself, with the same environment: the reference behaviour.
    expect(execFileSync("docker", ["version", "--format", "{{.Server.Os}}"], { env: { ...process.env, ...env }, encoding: "utf8" }).trim()).toBe("linux");
    const { docker, host } = dockerFromHost(undefined, env);
    expect(host).toBe(`tcp://127.0.0.1:${port}`);
    expect(String(await docker.ping())).toBe("OK");
    const { stdout } = await outputOf(docker, "echo over tls");
    expect(stdout).toBe("[swift-otter] over tls\n");
  });

  test("the Docker worker's launch runs a flow-run container on the TLS engine the environment names", async () => {
    // As `baton worker start` makes it: no options, the process's own environment.
    const saved = { DOCKER_HOST: process.env.DOCKER_HOST, DOCKER_TLS_VERIFY: process.env.DOCKER_TLS_VERIFY, DOCKER_CERT_PATH: process.env.DOCKER_CERT_PATH };
    Object.assign(process.env, { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: tls.clientCertPath });
    let infrastructure: DockerInfrastructure;
    try {
      infrastructure = new DockerInfrastructure();
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    const claimed = {
      flow_run: { id: "0190a5a2-0000-7000-8000-0000000000aa", name: "tls-otter", flow_name: "etl", work_pool_name: "p" },
      deployment: null,
      job_configuration: { image: IMAGE, image_pull_policy: "Never", network_mode: "none", stream_output: false, command: "sh -c 'echo from the container; exit 3'" },
    } as unknown as ClaimedRun;
    const context = { workerName: "w", apiUrl: undefined, credentials: {}, resolveSecret: async () => "", resolveVariable: async () => undefined };
    const launched = await infrastructure.launch(claimed, context);
    const exit = await launched.exited;
    expect(exit.exitCode).toBe(3);
    expect(exit.tail).toContain("from the container");
  });

  test("a client whose certificate the engine never signed is told what to set, not left with a socket error", async () => {
    const { docker, host } = dockerFromHost(undefined, { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: tls.strangerCertPath });
    const error = await docker.ping().then(() => undefined, (e: unknown) => e);
    expect(error).toBeDefined();
    expect(engineError(error, host).message).toMatch(/DockerUnavailable: .*TLS.*DOCKER_CERT_PATH/);
  });

  test("plain http to a TLS engine fails, as the docker CLI's does, rather than being the silent default", async () => {
    const { docker } = dockerFromHost(undefined, { DOCKER_HOST: `tcp://127.0.0.1:${port}` });
    await expect(docker.ping()).rejects.toBeDefined();
  });

  test("a container's output split mid-line and mid-character reaches the worker's output in whole lines", async () => {
    const { docker } = dockerFromHost(undefined, { DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: tls.clientCertPath });
    // Pauses between writes make the engine send each piece in its own frame.
    const script = "printf hel; sleep 0.3; printf 'lo\\n'; printf '\\342' >&2; sleep 0.3; printf '\\202\\254 euro\\n' >&2; printf 'last, no newline'";
    const { stdout, stderr, tail } = await outputOf(docker, script);
    expect(stdout).toBe("[swift-otter] hello\n[swift-otter] last, no newline\n");
    expect(stderr).toBe("[swift-otter] € euro\n");
    expect(tail).not.toContain("\uFFFD");
  });
});

test("ssh:// is taken as the docker CLI takes it, not refused", () => {
  const { docker, host } = dockerFromHost(undefined, { DOCKER_HOST: "ssh://deploy@127.0.0.1:2222", DOCKER_TLS_VERIFY: "1" });
  expect(host).toBe("ssh://deploy@127.0.0.1:2222");
  const modem = docker.modem as unknown as { protocol: string; host: string; port: string; username: string };
  expect([modem.protocol, modem.host, String(modem.port), modem.username]).toEqual(["ssh", "127.0.0.1", "2222", "deploy"]);
});

test("a DOCKER_HOST of a scheme docker does not know, or TLS files that are missing, are refused with the fix", () => {
  expect(() => dockerFromHost(undefined, { DOCKER_HOST: "https://engine:2376" })).toThrow(/DOCKER_HOST is "https:\/\/engine:2376"; set it as for the docker CLI/);
  expect(() => dockerFromHost(undefined, { DOCKER_HOST: "tcp://127.0.0.1:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: "/nonexistent/certs" })).toThrow(
    /DockerUnavailable: cannot use DOCKER_HOST "tcp:\/\/127.0.0.1:2376": .*DOCKER_CERT_PATH/,
  );
});
