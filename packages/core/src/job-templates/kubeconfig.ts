type Obj = Record<string, unknown>;
const isRecord = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Kubeconfig keys that run a program on the worker (`exec`, `auth-provider` with its cmd-path). */
const RUNS_COMMANDS = ["exec", "auth-provider"];
/** Kubeconfig keys that name a file on the worker's host; each has an inline `-data` (or plain `token`) twin. */
const READS_FILES: Record<string, string> = {
  "client-certificate": "client-certificate-data",
  "client-key": "client-key-data",
  tokenFile: "token",
  "token-file": "token",
  "certificate-authority": "certificate-authority-data",
};

/**
 * What makes a kubeconfig sent through the API unsafe for a worker to load: a user that runs a
 * command (inside the worker, with its key and the host's cloud credentials in reach) or any
 * entry that reads a file of the worker's host. Empty when it carries only inline credentials.
 */
export function unsafeKubeconfigProblems(kubeconfig: unknown, path = "cluster_config.kubeconfig"): string[] {
  if (!isRecord(kubeconfig)) return [];
  const problems: string[] = [];
  for (const [list, field] of [["users", "user"], ["clusters", "cluster"]] as const) {
    const entries = Array.isArray(kubeconfig[list]) ? (kubeconfig[list] as unknown[]) : [];
    for (const [i, entry] of entries.entries()) {
      const body = isRecord(entry) && isRecord(entry[field]) ? entry[field] : {};
      const where = `${path}.${list}[${i}].${field}`;
      for (const key of RUNS_COMMANDS) if (key in body) problems.push(`${where}.${key} would run a command inside the worker`);
      for (const [key, inline] of Object.entries(READS_FILES)) if (key in body) problems.push(`${where}.${key} names a file on the worker's host (give ${inline} instead)`);
    }
  }
  return problems;
}

/** How to fix any of those problems, for the end of a message. */
export const SAFE_KUBECONFIG_HINT =
  "a kubeconfig sent through the API may only carry inline credentials (token, client-certificate-data, client-key-data, certificate-authority-data): " +
  "fix the pool's cluster_config, or give the worker its cluster with cluster_config.kubeconfig_file or KUBECONFIG on its own host";
