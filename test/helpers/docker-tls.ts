import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface DockerTlsFiles {
  /** dockerd's arguments for a TLS listener on 127.0.0.1:port that verifies its clients. */
  daemonArgs(port: number): string[];
  /** A DOCKER_CERT_PATH: ca.pem, cert.pem and key.pem of a client the engine trusts. */
  clientCertPath: string;
  /** The same file names, signed by another CA: a client the engine must refuse. */
  strangerCertPath: string;
}

const openssl = (dir: string, args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });

/** A CA of its own, signing a key pair for `name` with the given extensions. */
function signed(dir: string, ca: string, name: string, extensions: string): void {
  openssl(dir, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}-key.pem`, "-out", `${name}.csr`, "-subj", `/CN=${name}`]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.pem`, "-CAkey", `${ca}-key.pem`, "-CAcreateserial", "-out", `${name}-cert.pem`, "-days", "2", "-extfile", `${name}.ext`]);
}

function authority(dir: string, name: string): void {
  openssl(dir, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}-key.pem`, "-out", `${name}.pem`, "-days", "2", "-subj", `/CN=${name}`]);
}

/**
 * Certificates made with openssl, as the Docker documentation's "Protect the Docker daemon
 * socket" page makes them: a CA, a server certificate for IP 127.0.0.1, and client certificates
 * laid out as the docker CLI expects them in DOCKER_CERT_PATH.
 */
export function makeDockerTlsFiles(dir: string): DockerTlsFiles {
  authority(dir, "ca");
  authority(dir, "other-ca");
  signed(dir, "ca", "server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  signed(dir, "ca", "client", "extendedKeyUsage=clientAuth\n");
  signed(dir, "other-ca", "stranger", "extendedKeyUsage=clientAuth\n");
  const certPath = (name: string, ca: string) => {
    const path = join(dir, name);
    mkdirSync(path);
    execFileSync("cp", [join(dir, `${ca}.pem`), join(path, "ca.pem")]);
    execFileSync("cp", [join(dir, `${name}-cert.pem`), join(path, "cert.pem")]);
    execFileSync("cp", [join(dir, `${name}-key.pem`), join(path, "key.pem")]);
    return path;
  };
  return {
    daemonArgs: (port) => ["-H", `tcp://127.0.0.1:${port}`, "--tlsverify", "--tlscacert", join(dir, "ca.pem"), "--tlscert", join(dir, "server-cert.pem"), "--tlskey", join(dir, "server-key.pem")],
    clientCertPath: certPath("client", "ca"),
    // Trusts the real CA (so the server is verified) but presents a certificate the engine never signed.
    strangerCertPath: (() => {
      const path = certPath("stranger", "other-ca");
      execFileSync("cp", [join(dir, "ca.pem"), join(path, "ca.pem")]);
      return path;
    })(),
  };
}
