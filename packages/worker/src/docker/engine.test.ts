import type { ClaimedRun } from "@baton/core";
import { expect, test } from "vitest";
import { DockerInfrastructure } from "./docker-infrastructure.js";
import { dockerFromHost, engineMessage } from "./engine.js";

test("DOCKER_HOST is read as docker reads it: a unix socket (the default), tcp://host:port, ssh://; TLS on port 2376 (see engine-tls.test.ts)", () => {
  expect(dockerFromHost(undefined, {}).host).toBe("unix:///var/run/docker.sock");
  expect(dockerFromHost("unix:///run/user/1000/docker.sock").docker.modem.socketPath).toBe("/run/user/1000/docker.sock");
  expect(dockerFromHost(undefined, { DOCKER_HOST: "unix:///run/user/1000/docker.sock" }).docker.modem.socketPath).toBe("/run/user/1000/docker.sock");
  const tcp = dockerFromHost(undefined, { DOCKER_HOST: "tcp://10.0.0.5:2375" }).docker.modem as unknown as { host: string; port: string; protocol: string };
  expect([tcp.host, String(tcp.port), tcp.protocol]).toEqual(["10.0.0.5", "2375", "http"]);
  const tls = dockerFromHost(undefined, { DOCKER_HOST: "tcp://10.0.0.5:2376" }).docker.modem as unknown as { protocol: string };
  expect(tls.protocol).toBe("https");
  expect(() => dockerFromHost("tcp://10.0.0.5:2376")).toThrow(/not a unix socket; name other engines with DOCKER_HOST/);
});

test("a worker that cannot reach its engine says where it looked and what to do", async () => {
  const infrastructure = new DockerInfrastructure({ host: "unix:///nonexistent/baton-test/docker.sock" });
  const claimed = {
    flow_run: { id: "r1", name: "brave-otter", flow_name: "etl", work_pool_name: "p" },
    deployment: null,
    job_configuration: { image: "flows:1" },
  } as unknown as ClaimedRun;
  const context = { workerName: "w", apiUrl: undefined, credentials: {}, resolveSecret: async () => "", resolveVariable: async () => undefined };
  await expect(infrastructure.launch(claimed, context)).rejects.toThrow(
    /DockerUnavailable: cannot reach the Docker engine at unix:\/\/\/nonexistent\/baton-test\/docker.sock \(ENOENT\); start Docker, set DOCKER_HOST/,
  );
});

test("an engine error is quoted as the engine said it, without the HTTP client's prefix", () => {
  const error = Object.assign(new Error('(HTTP code 500) server error - Get "https://registry-1.docker.io/v2/": no such host'), { statusCode: 500, json: null });
  expect(engineMessage(error)).toBe('Get "https://registry-1.docker.io/v2/": no such host');
  expect(engineMessage(Object.assign(new Error("x"), { json: { message: "invalid mount config" } }))).toBe("invalid mount config");
});
