/** Where the flow run's container finds the deploy key and known_hosts (an in-memory emptyDir). */
export const GIT_SSH_DIR = "/etc/baton/git-ssh";
const SECRET_DIR = "/etc/baton/git-ssh-secret";
export const GIT_SSH_COMMAND = `ssh -i ${GIT_SSH_DIR}/key -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=${GIT_SSH_DIR}/known_hosts -o StrictHostKeyChecking=yes`;

/*
 * Why an init container and not defaultMode + fsGroup: ssh refuses a key another user or group can
 * read, and a Secret volume's files belong to root (0400 is unreadable for a non-root image) or,
 * with fsGroup, are made group-readable (0440, which ssh rejects as "unprotected"). So the Secret
 * is mounted read-only into an init container only, which runs the flow's own image (so the same
 * user as the flow's container, whatever it is), copies the key and known_hosts into a
 * memory-backed emptyDir and makes them 0400. The flow's container mounts that folder read-only.
 * The init container fails with a message naming the Secret when a file is missing.
 */
const COPY_SCRIPT = [
  "set -e",
  `key=$(ls ${SECRET_DIR} | grep -v '^known_hosts$' | head -n 1)`,
  `if [ -z "$key" ]; then echo "git_ssh_secret $SECRET_NAME has no key file (add id_ed25519)" >&2; exit 1; fi`,
  `if [ ! -f ${SECRET_DIR}/known_hosts ]; then echo "git_ssh_secret $SECRET_NAME has no known_hosts (add the output of ssh-keyscan)" >&2; exit 1; fi`,
  `cp ${SECRET_DIR}/$key ${GIT_SSH_DIR}/key`,
  `cp ${SECRET_DIR}/known_hosts ${GIT_SSH_DIR}/known_hosts`,
  `chmod 0400 ${GIT_SSH_DIR}/key ${GIT_SSH_DIR}/known_hosts`,
].join("\n");

type Obj = Record<string, unknown>;
const asList = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** Adds what `git_ssh_secret` and `git_token_secret` need to a pod spec (in place). */
export function addGitCredentials(podSpec: Obj, container: Obj, options: { sshSecret?: string | undefined; tokenSecret?: string | undefined }): void {
  if (options.sshSecret) {
    podSpec.volumes = [
      ...asList(podSpec.volumes),
      { name: "baton-git-ssh-secret", secret: { secretName: options.sshSecret, defaultMode: 0o444 } },
      { name: "baton-git-ssh", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
    ];
    podSpec.initContainers = [
      ...asList(podSpec.initContainers),
      {
        name: "baton-git-ssh-key",
        image: container.image,
        ...(container.imagePullPolicy ? { imagePullPolicy: container.imagePullPolicy } : {}),
        // The same restrictions as the flow's container: "restricted" namespaces check every container.
        ...(container.securityContext ? { securityContext: container.securityContext } : {}),
        command: ["sh", "-c", COPY_SCRIPT],
        env: [{ name: "SECRET_NAME", value: options.sshSecret }],
        volumeMounts: [
          { name: "baton-git-ssh-secret", mountPath: SECRET_DIR, readOnly: true },
          { name: "baton-git-ssh", mountPath: GIT_SSH_DIR },
        ],
      },
    ];
    container.volumeMounts = [...asList(container.volumeMounts), { name: "baton-git-ssh", mountPath: GIT_SSH_DIR, readOnly: true }];
    container.env = [...asList(container.env), { name: "GIT_SSH_COMMAND", value: GIT_SSH_COMMAND }];
  }
  if (options.tokenSecret) {
    // The pull step reads it with access_token: "{{ $GIT_TOKEN }}"; the value never appears in the Job.
    container.env = [...asList(container.env), { name: "GIT_TOKEN", valueFrom: { secretKeyRef: { name: options.tokenSecret, key: "token" } } }];
  }
}
