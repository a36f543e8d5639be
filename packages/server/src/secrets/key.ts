import { randomBytes, scryptSync } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { BatonError } from "@baton/core";

export class EncryptionKeyUnusable extends BatonError {
  override readonly code = "EncryptionKeyUnusable";
  override readonly status = 500;
}

/** Where the key comes from: an explicit key (BATON_SERVER_ENCRYPTION_KEY), else a key file in the Baton home. */
export interface SecretKeyOptions {
  encryptionKey?: string | undefined;
  /** Holds `server.key` when no key is given (default $BATON_HOME, else ~/.baton). */
  batonHome?: string | undefined;
}

const KEY_BYTES = 32;
// Fixed on purpose: the same passphrase must give the same key on every server and restart.
const PASSPHRASE_SALT = "baton-server-encryption-key/v1";

/**
 * A 32-byte key as 64 hex digits or base64 (standard or url-safe) is used as it is; any
 * other text is a passphrase, stretched with scrypt.
 */
export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (bytes.length === KEY_BYTES) return bytes;
  }
  return scryptSync(trimmed, PASSPHRASE_SALT, KEY_BYTES);
}

/** Read the key file, or create it (mode 0600) with a random key on first use. */
function keyFromFile(home: string): Buffer {
  const file = join(home, "server.key");
  try {
    return parseKey(readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new EncryptionKeyUnusable(`EncryptionKeyUnusable: cannot read the secrets key ${file}: ${(error as Error).message}; fix its permissions or set BATON_SERVER_ENCRYPTION_KEY`, { cause: error });
    }
  }
  mkdirSync(home, { recursive: true, mode: 0o700 });
  try {
    // "wx": if another process made the file first, read that one instead of replacing it.
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new EncryptionKeyUnusable(`EncryptionKeyUnusable: cannot create the secrets key ${file}: ${(error as Error).message}; make ${home} writable or set BATON_SERVER_ENCRYPTION_KEY`, { cause: error });
    }
  }
  return parseKey(readFileSync(file, "utf8"));
}

/** The key, found on first use and kept: a server that never touches a secret never makes a key file. */
export function secretKeyProvider(options: SecretKeyOptions = {}): () => Buffer {
  let key: Buffer | undefined;
  return () => {
    if (key) return key;
    const explicit = options.encryptionKey ?? process.env.BATON_SERVER_ENCRYPTION_KEY;
    key = explicit ? parseKey(explicit) : keyFromFile(options.batonHome ?? process.env.BATON_HOME ?? join(homedir(), ".baton"));
    return key;
  };
}
