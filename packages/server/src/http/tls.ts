import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { BatonError, pemProblem, unreadableReason, type PemKind } from "@baton/core";

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

function readPem(file: string, what: PemKind, flag: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error) {
    throw new TlsConfigInvalid(`TlsConfigInvalid: the TLS ${what} file ${file} (${flag}) ${unreadableReason(error)}; ${FIX}`, { cause: error });
  }
  const problem = pemProblem(content.toString("latin1"), what);
  if (problem) throw new TlsConfigInvalid(`TlsConfigInvalid: the TLS ${what} file ${file} (${flag}) ${problem}; ${FIX}`);
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
