import { readFileSync } from "node:fs";
import { BatonError, pemProblem, unreadableReason } from "@baton/core/runtime";

export class ApiTlsConfigInvalid extends BatonError {
  override readonly code = "ApiTlsConfigInvalid";
  override readonly status = 400;
}

/** The CA bundle of BATON_API_SSL_CERT_FILE, checked to be readable PEM certificates. */
export function readCaFile(file: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error) {
    throw new ApiTlsConfigInvalid(`ApiTlsConfigInvalid: BATON_API_SSL_CERT_FILE ${file} ${unreadableReason(error)}; point it at the PEM bundle of the CA that signed the server's certificate`, { cause: error });
  }
  const problem = pemProblem(content.toString("latin1"), "certificate");
  if (problem) throw new ApiTlsConfigInvalid(`ApiTlsConfigInvalid: BATON_API_SSL_CERT_FILE ${file} ${problem}; point it at the CA bundle in PEM form`);
  return content;
}

let warned = false;

/** Once per process: skipping verification is a choice someone must see they made. */
export function warnInsecureSkipVerify(target: string, write: (text: string) => void = (text) => process.stderr.write(text)): void {
  if (warned) return;
  warned = true;
  write(`Warning: BATON_API_TLS_INSECURE_SKIP_VERIFY is on: the certificate of ${target} is not verified, so anyone between here and the server can read and change this traffic, API key included; trust the server's CA with BATON_API_SSL_CERT_FILE instead\n`);
}

/** Node's codes for a certificate the client does not trust (OpenSSL's verify results and the host check). */
const UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_CHAIN_TOO_LONG",
  "INVALID_CA",
]);

/**
 * What to tell a user whose TLS connection failed, or undefined when the error is not about
 * TLS (then the caller's usual "cannot reach" message applies).
 */
export function explainTlsError(error: NodeJS.ErrnoException, target: string, caFile: string | undefined): string | undefined {
  const code = error.code ?? "";
  const reason = `${code}: ${error.message}`;
  if (UNTRUSTED.has(code)) {
    const fix = caFile
      ? `the CA in BATON_API_SSL_CERT_FILE (${caFile}) did not sign it; point BATON_API_SSL_CERT_FILE at the CA that did`
      : "if the server uses a private CA, set BATON_API_SSL_CERT_FILE to that CA's certificate (PEM)";
    return `ApiTlsError: the server at ${target} presented a TLS certificate this client does not trust (${reason}); ${fix}. BATON_API_TLS_INSECURE_SKIP_VERIFY=true skips the check (unsafe)`;
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    return `ApiTlsError: the TLS certificate of ${target} is not valid now (${reason}); renew the server's certificate (or check this machine's clock)`;
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return `ApiTlsError: the TLS certificate of ${target} is not for that host name (${error.message}); use the name the certificate was issued for in BATON_API_URL, or issue one with this name`;
  }
  if (code === "ERR_SSL_WRONG_VERSION_NUMBER" || code === "EPROTO" || /wrong version number|packet length too long/i.test(error.message)) {
    return `ApiTlsError: ${target} does not speak TLS (${reason}); if the server serves plain HTTP, use an http:// BATON_API_URL`;
  }
  return undefined;
}
