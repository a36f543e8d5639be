/**
 * Replaces secret values with `****` wherever they would be shown: run logs, error messages,
 * CLI output, API responses. Values are matched as written, as they look inside JSON text
 * (escaped), and in the encodings a script most often prints them in by accident or on purpose:
 * base64 (standard and URL-safe, at any position in a longer encoded text), URL-encoded, hex
 * and reversed; longest first so a secret containing another is masked whole. Very short values
 * are not masked: masking every "a" would make logs unreadable and protect nothing.
 *
 * Masking is a courtesy, not a control: code that can read a secret can always print it in a
 * form no masker knows (split, xor, one character per line). What stops a deployment reading a
 * secret is the secret's scope (docs/security.md).
 */
import { toBase64, toHex, utf8Bytes } from "./bytes.js";

export const MASK = "****";
const MIN_LENGTH = 4;
/** Encoded forms shorter than this are not masked: they would match ordinary text. */
const MIN_ENCODED_LENGTH = 8;

/**
 * The base64 text `value` produces wherever it sits in a longer encoded text: for each of the
 * three byte alignments, the characters that depend on the value's bytes alone.
 */
function base64Forms(value: string): string[] {
  const bytes = utf8Bytes(value);
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const shifted = new Uint8Array(offset + bytes.length);
    shifted.set(bytes, offset);
    const encoded = toBase64(shifted);
    // Characters of the groups made only of the value's bytes: skip the first group when it
    // holds padding bytes, stop before the last group when it holds the bytes that follow.
    const first = offset === 0 ? 0 : 4;
    const end = Math.floor((offset + bytes.length) / 3) * 4;
    const stable = encoded.slice(first, end);
    if (stable.length >= MIN_ENCODED_LENGTH) forms.push(stable, stable.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
}

/** The forms of a value masking looks for besides the value itself. */
function encodedForms(value: string): string[] {
  const hex = toHex(utf8Bytes(value));
  const forms = [encodeURIComponent(value), encodeURIComponent(value).replace(/%20/g, "+"), hex, hex.toUpperCase(), [...value].reverse().join(""), ...base64Forms(value)];
  return forms.filter((form) => form !== value && form.length >= MIN_ENCODED_LENGTH);
}

export class SecretMasker {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;

  add(...values: (string | undefined)[]): this {
    for (const v of values) {
      if (!v || v.length < MIN_LENGTH) continue;
      this.values.add(v);
      const escaped = JSON.stringify(v).slice(1, -1);
      if (escaped !== v) this.values.add(escaped);
      for (const form of encodedForms(v)) this.values.add(form);
      // A multi-line secret (a private key) also leaks line by line.
      for (const line of v.split("\n")) if (line.trim().length >= 16) this.values.add(line.trim());
    }
    this.pattern = undefined;
    return this;
  }

  get size(): number {
    return this.values.size;
  }

  mask(text: string): string {
    if (this.values.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.values]
        .sort((a, b) => b.length - a.length)
        .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("|"),
      "g",
    );
    return text.replace(this.pattern, MASK);
  }

  /** Mask every string inside a JSON value. */
  maskDeep<T>(value: T): T {
    if (this.values.size === 0) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === "string") return this.mask(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return walk(value) as T;
  }
}
