import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { runBaton } from "../helpers/cli.js";

/**
 * deploy/docker/Dockerfile cannot be built here (no registry serves its base image), so it is
 * checked as written: the instructions of each stage, and that what they name exists in this
 * repository and in the `baton` command line.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DOCKERFILE = join(ROOT, "deploy/docker/Dockerfile");

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions by stage: comments dropped, `\` continuations joined. */
function parseDockerfile(text: string): { args: Instruction[]; stages: Instruction[][] } {
  const logical: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!current && (line === "" || line.startsWith("#"))) continue;
    if (line.startsWith("#")) continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push((current + line).trim());
    current = "";
  }
  const args: Instruction[] = [];
  const stages: Instruction[][] = [];
  for (const l of logical) {
    const m = /^(\w+)\s+([\s\S]*)$/.exec(l);
    if (!m) throw new Error(`not an instruction: ${l}`);
    const instruction = { keyword: m[1]!.toUpperCase(), args: m[2]!.replace(/\s+/g, " ").trim() };
    if (instruction.keyword === "FROM") stages.push([instruction]);
    else if (stages.length === 0) args.push(instruction);
    else stages.at(-1)!.push(instruction);
  }
  return { args, stages };
}

const { args, stages } = parseDockerfile(readFileSync(DOCKERFILE, "utf8"));
const runtime = stages.at(-1)!;
const build = stages[0]!;
const all = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword);
const one = (stage: Instruction[], keyword: string) => {
  const found = all(stage, keyword);
  expect(found, keyword).toHaveLength(1);
  return found[0]!.args;
};

describe("deploy/docker/Dockerfile", () => {
  test("two stages on an official Node image of a version Baton supports (20 and later)", () => {
    expect(stages).toHaveLength(2);
    const nodeVersion = Number(/^NODE_VERSION=(\d+)$/.exec(args.find((a) => a.keyword === "ARG")?.args ?? "")?.[1]);
    expect(nodeVersion).toBeGreaterThanOrEqual(20);
    expect(build[0]!.args).toBe("node:${NODE_VERSION}-bookworm-slim AS build");
    expect(runtime[0]!.args).toBe("node:${NODE_VERSION}-bookworm-slim");
  });

  test("the build stage installs with npm ci from the lock file, every workspace's manifest included, builds, and keeps only production dependencies", () => {
    const copies = all(build, "COPY").map((c) => c.args.split(" "));
    const copied = copies.flatMap((c) => c.slice(0, -1));
    for (const source of copied) expect(existsSync(join(ROOT, source)), `COPY ${source}`).toBe(true);
    expect(copied).toContain("package-lock.json");
    const workspaces = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { workspaces: string[] }).workspaces;
    for (const w of workspaces) expect(copied, `the manifest of workspace ${w}`).toContain(`${w}/package.json`);
    const runs = all(build, "RUN").map((r) => r.args);
    const ci = runs.findIndex((r) => r.includes("npm ci"));
    const built = runs.findIndex((r) => r.includes("npm run build"));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(built).toBeGreaterThan(ci);
    expect(runs[built]).toContain("npm prune --omit=dev");
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.build).toMatch(/^tsc -b/);
  });

  test("the runtime has git, openssh-client and ca-certificates, and baton on PATH pointing at the CLI", () => {
    const install = all(runtime, "RUN").map((r) => r.args).find((r) => r.includes("apt-get install"))!;
    for (const pkg of ["git", "openssh-client", "ca-certificates", "tini"]) expect(install.split(" ")).toContain(pkg);
    expect(one(runtime, "COPY")).toBe("--from=build /opt/baton /opt/baton");
    const link = /ln -s \/opt\/baton\/(\S+) \/usr\/local\/bin\/baton/.exec(all(runtime, "RUN").map((r) => r.args).join("\n"));
    expect(link?.[1]).toBe("packages/cli/bin/baton.js");
    expect(existsSync(join(ROOT, link![1]!))).toBe(true);
    expect(JSON.parse(readFileSync(join(ROOT, "packages/cli/package.json"), "utf8")).bin.baton).toBe("./bin/baton.js");
  });

  test("it runs as a non-root user with a fixed uid it creates, with baton as its entrypoint", () => {
    const user = one(runtime, "USER");
    const [uid, gid] = user.split(":");
    expect(uid).not.toMatch(/^(0|root)$/);
    expect(gid).not.toMatch(/^(0|root)$/);
    expect(all(runtime, "RUN").some((r) => r.args.includes(`useradd --system --uid ${uid}`))).toBe(true);
    // Everything after USER runs as that user: nothing there may need root.
    const afterUser = runtime.slice(runtime.findIndex((i) => i.keyword === "USER") + 1);
    expect(afterUser.filter((i) => i.keyword === "RUN" || i.keyword === "COPY")).toEqual([]);
    const entrypoint = JSON.parse(one(runtime, "ENTRYPOINT")) as string[];
    expect(entrypoint).toEqual(["/usr/bin/tini", "--", "baton"]);
    expect(one(runtime, "ENV")).toContain("BATON_HOME=/home/baton/.baton");
    expect(one(runtime, "WORKDIR")).toBe("/home/baton");
  });

  test("its default command starts a server listening beyond the container on the port it exposes, and the commands it documents exist", async () => {
    const cmd = JSON.parse(one(runtime, "CMD")) as string[];
    expect(cmd).toEqual(["server", "start"]);
    expect(one(runtime, "ENV")).toContain("BATON_SERVER_HOST=0.0.0.0");
    expect(one(runtime, "EXPOSE")).toBe("4200");
    for (const command of [cmd, ["worker", "start"], ["flow-run", "execute"]]) {
      const r = await runBaton([...command, "--help"]);
      expect(r.code, `baton ${command.join(" ")} --help: ${r.stderr}`).toBe(0);
    }
  });

  test("the build context's ignore file keeps node_modules and build output out, and nothing the build copies", () => {
    const ignored = readFileSync(join(ROOT, "deploy/docker/Dockerfile.dockerignore"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    expect(ignored).toEqual(expect.arrayContaining(["**/node_modules", "**/dist", ".git"]));
    const copied = all(build, "COPY").flatMap((c) => c.args.split(" ").slice(0, -1));
    for (const source of copied) for (const pattern of ignored) expect(source.startsWith(pattern.replace(/^\*\*\//, "")), `${source} is ignored by ${pattern}`).toBe(false);
  });
});
