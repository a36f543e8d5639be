import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { BatonError } from "@baton/core";

export interface Sealed {
  nonce: string;
  ciphertext: string;
  auth_tag: string;
}

export class SecretUndecryptable extends BatonError {
  override readonly code = "SecretUndecryptable";
  override readonly status = 500;
}

/**
 * AES-256-GCM with a random 12-byte nonce per value. The secret's name is the associated
 * data: a ciphertext copied onto another secret's row does not decrypt.
 */
export function seal(key: Buffer, name: string, value: string): Sealed {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(name, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return { nonce: nonce.toString("base64"), ciphertext: ciphertext.toString("base64"), auth_tag: cipher.getAuthTag().toString("base64") };
}

export function open(key: Buffer, name: string, sealed: Sealed): string {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(sealed.nonce, "base64"));
    decipher.setAAD(Buffer.from(name, "utf8"));
    decipher.setAuthTag(Buffer.from(sealed.auth_tag, "base64"));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64")), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new SecretUndecryptable(
      `SecretUndecryptable: secret "${name}" cannot be decrypted with this server's key: the key changed (BATON_SERVER_ENCRYPTION_KEY or $BATON_HOME/server.key) since it was set; restore the old key, or set the secret again with baton secret set ${name}`,
      { cause: error },
    );
  }
}
