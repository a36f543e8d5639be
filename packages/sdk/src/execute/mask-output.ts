import type { SecretMasker } from "@baton/core";

/**
 * Masks secret values in what this process prints (a flow's console.log included): a worker
 * streams it into its own output and keeps its last lines for a crash message.
 * A secret split across two writes is not caught; run logs are masked whole, line by line.
 */
export function maskProcessOutput(masker: SecretMasker): () => void {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write);
  for (const stream of streams) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (masker.size === 0) return write(chunk, ...rest);
      if (typeof chunk === "string") return write(masker.mask(chunk), ...rest);
      if (chunk instanceof Uint8Array) return write(masker.mask(Buffer.from(chunk).toString("utf8")), ...rest);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  return () => streams.forEach((s, i) => (s.write = originals[i]!));
}
