import { Writable } from "node:stream";
import type Docker from "dockerode";
import { RunOutput, type LineDecoder, type OutputTargets } from "../output/output-lines.js";
import type { OutputTail } from "../output/output-tail.js";

/**
 * Follows a container's output: keeps the last lines for the message of a run that crashed
 * and, with stream_output, copies each line to the worker's output, prefixed. Attached before
 * the container starts, so nothing is missed, even from a container that exits at once, and
 * whatever the engine's log driver.
 */
export async function followOutput(
  docker: Docker,
  container: Docker.Container,
  options: { streamOutput: boolean; prefix: string; targets?: OutputTargets },
): Promise<{ done: Promise<void>; tail: OutputTail }> {
  const output = new RunOutput(options);
  const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
  const sink = (lines: LineDecoder) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.write(chunk);
        callback();
      },
    });
  // Without a TTY the engine multiplexes stdout and stderr with 8-byte frame headers; a frame
  // ends anywhere, mid-line or mid-character, so each stream goes through its own line decoder.
  docker.modem.demuxStream(stream, sink(output.stdout), sink(output.stderr));
  const done = new Promise<void>((resolve) => {
    let ended = false;
    const end = () => {
      if (!ended) output.end();
      ended = true;
      resolve();
    };
    stream.once("end", end);
    stream.once("close", end);
    // The output is a convenience: a broken log stream must not lose the run's exit.
    stream.once("error", end);
  });
  return { done, tail: output.tail };
}
