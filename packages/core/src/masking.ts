/**
 * Replaces secret values with `****` wherever they would be shown: run logs, error messages,
 * CLI output, API responses. Values are matched as written and as they look inside JSON text
 * (escaped), longest first so a secret containing another is masked whole. Very short values
 * are not masked: masking every "a" would make logs unreadable and protect nothing.
 */
export const MASK = "****";
const MIN_LENGTH = 4;

export class SecretMasker {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;

  add(...values: (string | undefined)[]): this {
    for (const v of values) {
      if (!v || v.length < MIN_LENGTH) continue;
      this.values.add(v);
      const escaped = JSON.stringify(v).slice(1, -1);
      if (escaped !== v) this.values.add(escaped);
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
