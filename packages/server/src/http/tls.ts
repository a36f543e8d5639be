import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { BatonError } from "@baton/core";

export class TlsConfigInvalid extends BatonError {
  override readonly code = "TlsConfigInvalid";
}

export interface TlsFiles {
  /** PEM certificate, its chain after it. */
  certFile?: string;
  /** PEM private key of that certificate (not encrypted). */
  keyFile?: string;
}

const FIX = "give both --tls-cert FILE and --tls-key FILE (or BATON_SERVER_TLS_CERT_FILE and BATON_SERVER_TLS_KEY_FILE), PEM files readable by the server";

function readPem(file: string, what: "certificate" | "private key", flag: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "EACCES" ? "cannot be read (permission denied)" : code === "EISDIR" ? "is a folder" : `cannot be read (${code ?? String(error)})`;
    throw new TlsConfigInvalid(`TlsConfigInvalid: the TLS ${what} file ${file} (${flag}) ${why}; ${FIX}`, { cause: error });
  }
  const marker = what === "certificate" ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN (RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;
  if (!marker.test(content.toString("latin1"))) {
    throw new TlsConfigInvalid(`TlsConfigInvalid: the TLS ${what} file ${file} (${flag}) is not a PEM ${what} (no "-----BEGIN ${what === "certificate" ? "CERTIFICATE" : "PRIVATE KEY"}-----" line); ${FIX}`);
  }
  return content;
}

/**
 * The certificate and key the server serves HTTPS with, or undefined for plain HTTP. Read and
 * checked before the server starts, so a wrong path or a key of another certificate is an error
 * naming the file, not a stack from deep inside the TLS stack at the first connection.
 */
export function readTlsFiles(files: TlsFiles): { cert: Buffer; key: Buffer } | undefined {
  if (!files.certFile && !files.keyFile) return undefined;
  if (!files.certFile) throw new TlsConfigInvalid(`TlsConfigInvalid: a TLS key (${files.keyFile}) was given without a certificate; ${FIX}`);
  if (!files.keyFile) throw new TlsConfigInvalid(`TlsConfigInvalid: a TLS certificate (${files.certFile}) was given without its key; ${FIX}`);
  const cert = readPem(files.certFile, "certificate", "--tls-cert");
  const key = readPem(files.keyFile, "private key", "--tls-key");
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const reason = (error as Error).message;
    const hint = /mismatch/i.test(reason) ? "the key is not the key of this certificate" : reason;
    throw new TlsConfigInvalid(`TlsConfigInvalid: ${files.certFile} and ${files.keyFile} cannot be used together: ${hint}; ${FIX}`, { cause: error });
  }
  return { cert, key };
}
