import { checkBaseJobTemplate, defaultBaseJobTemplate, renderJobConfiguration, type ClaimedRun } from "@baton/core";
import { describe, expect, test } from "vitest";
import type { LaunchContext } from "../infrastructure.js";
import { containerSpec, GIT_KNOWN_HOSTS_IN_CONTAINER, GIT_SSH_KEY_IN_CONTAINER } from "./container-spec.js";
import { parseDockerJobConfiguration, parseMemory } from "./job-configuration.js";

describe("the docker pool's default template", () => {
  test("uses every variable it declares, and renders with its defaults to a configuration the worker accepts", () => {
    const template = defaultBaseJobTemplate("docker")!;
    expect(checkBaseJobTemplate(template)).toEqual({ errors: [], warnings: [] });
    const config = parseDockerJobConfiguration(renderJobConfiguration(template));
    expect(config).toEqual({
      image: "ghcr.io/baton-dev/baton:latest",
      image_pull_policy: "IfNotPresent",
      command: "baton flow-run execute",
      env: {},
      labels: {},
      volumes: [],
      auto_remove: true,
      privileged: false,
      stream_output: true,
      crash_retries: 0,
      pull_step_timeout_seconds: 900,
    });
  });

  test("a deployment's variables reach the configuration with their types", () => {
    const rendered = renderJobConfiguration(defaultBaseJobTemplate("docker")!, { env: { A: "pool" } }, { memory: "512m", cpus: 1.5, network_mode: "host", volumes: ["/data:/data:ro"], env: { B: "deployment" } });
    expect(parseDockerJobConfiguration(rendered)).toMatchObject({ memory: 512 * 1024 ** 2, cpus: 1.5, network_mode: "host", volumes: ["/data:/data:ro"], env: { A: "pool", B: "deployment" } });
  });
});

describe("docker job configuration", () => {
  test("memory is read as docker reads it, and a wrong size says how to write it", () => {
    expect(parseMemory("512m")).toBe(536870912);
    expect(parseMemory("2g")).toBe(2 * 1024 ** 3);
    expect(parseMemory("1.5G")).toBe(1.5 * 1024 ** 3);
    expect(parseMemory("8388608")).toBe(8388608);
    expect(() => parseMemory("lots")).toThrow(/e\.g\. 512m/);
    expect(() => parseMemory("1m")).toThrow(/minimum of 6m/);
    expect(() => parseDockerJobConfiguration({ image: "x", memory: "512 MB please" })).toThrow(/docker job configuration's memory .*512m/);
  });

  test("a wrong value names its field", () => {
    expect(() => parseDockerJobConfiguration({})).toThrow(/configuration's image/);
    expect(() => parseDockerJobConfiguration({ image: "x", volumes: ["data"] })).toThrow(/volumes\.0 must be host_path_or_volume:\/container\/path/);
    expect(() => parseDockerJobConfiguration({ image: "x", image_pull_policy: "Sometimes" })).toThrow(/image_pull_policy/);
    expect(() => parseDockerJobConfiguration({ image: "x", git_ssh_key_path: "keys/id" })).toThrow(/git_ssh_key_path must be an absolute path/);
    expect(() => parseDockerJobConfiguration({ image: "x", command: "  " })).toThrow(/command must name the program/);
    expect(() => parseDockerJobConfiguration({ image: "x", cpus: 0 })).toThrow(/cpus/);
  });
});

describe("the container of a run", () => {
  const claimed = {
    flow_run: { id: "0190-run", name: "brave-otter", flow_name: "etl", work_pool_name: "docker-pool" },
    deployment: { id: "0190-dep", name: "nightly", flow_name: "etl" },
    job_configuration: {},
  } as unknown as ClaimedRun;
  const context: LaunchContext = {
    workerName: "w1",
    apiUrl: "http://127.0.0.1:4200/api",
    credentials: { BATON_API_KEY: "key-1" },
    resolveSecret: async () => "",
    resolveVariable: async () => undefined,
  };

  test("gets the run's identity, the server and the worker's credential, and none of the worker's own environment", () => {
    process.env.BATON_TEST_WORKER_ONLY = "worker";
    const config = parseDockerJobConfiguration({ image: "flows:1", env: { TOKEN: "s3cret", MODE: "prod" }, labels: { team: "data" }, memory: "256m", cpus: 0.5, network_mode: "host" });
    const spec = containerSpec(claimed, config, context, ["TOKEN"]);
    expect(spec.Image).toBe("flows:1");
    expect(spec.Entrypoint).toEqual(["baton"]);
    expect(spec.Cmd).toEqual(["flow-run", "execute"]);
    expect(spec.Env).toEqual(
      expect.arrayContaining([
        "TOKEN=s3cret",
        "MODE=prod",
        "BATON_API_URL=http://127.0.0.1:4200/api",
        "BATON_API_KEY=key-1",
        "BATON_FLOW_RUN_ID=0190-run",
        "BATON_SECRET_ENV=TOKEN",
        "BATON_WORKER_NAME=w1",
        "BATON_DEPLOYMENT_NAME=etl/nightly",
      ]),
    );
    expect(spec.Env!.join("\n")).not.toContain("BATON_TEST_WORKER_ONLY");
    expect(spec.Labels).toEqual({
      team: "data",
      "io.baton.flow-run-id": "0190-run",
      "io.baton.flow-run-name": "brave-otter",
      "io.baton.flow-name": "etl",
      "io.baton.worker-name": "w1",
      "io.baton.work-pool-name": "docker-pool",
      "io.baton.deployment-id": "0190-dep",
      "io.baton.deployment-name": "nightly",
    });
    expect(spec.name).toMatch(/^brave-otter-[0-9a-f]{6}$/);
    expect(spec.HostConfig).toMatchObject({ NetworkMode: "host", Memory: 256 * 1024 ** 2, MemorySwap: 256 * 1024 ** 2, NanoCpus: 5e8, Privileged: false, Init: true });
  });

  test("git key files from the host are mounted read-only and GIT_SSH_COMMAND checks host keys strictly", () => {
    const config = parseDockerJobConfiguration({ image: "flows:1", volumes: ["cache:/cache"], git_ssh_key_path: "/etc/baton/deploy_key", git_known_hosts_path: "/etc/baton/known_hosts" });
    const spec = containerSpec(claimed, config, context, []);
    expect(spec.HostConfig!.Binds).toEqual(["cache:/cache", `/etc/baton/deploy_key:${GIT_SSH_KEY_IN_CONTAINER}:ro`, `/etc/baton/known_hosts:${GIT_KNOWN_HOSTS_IN_CONTAINER}:ro`]);
    const ssh = spec.Env!.find((e) => e.startsWith("GIT_SSH_COMMAND="));
    expect(ssh).toContain(`-i ${GIT_SSH_KEY_IN_CONTAINER}`);
    expect(ssh).toContain("StrictHostKeyChecking=yes");
    expect(ssh).toContain(`UserKnownHostsFile=${GIT_KNOWN_HOSTS_IN_CONTAINER}`);
    expect(containerSpec(claimed, parseDockerJobConfiguration({ image: "x" }), context, []).Env!.some((e) => e.startsWith("GIT_SSH_COMMAND="))).toBe(false);
  });
});
