import { Writable } from "node:stream";
import type Docker from "dockerode";
import { OutputTail } from "../process/output-tail.js";

/**
 * Follows a container's output: keeps the last lines for the message of a run that crashed
 * and, with stream_output, copies each line to the worker's output, prefixed. Attached before
 * the container starts, so nothing is missed, even from a container that exits at once, and
 * whatever the engine's log driver.
 */
export async function followOutput(
  docker: Docker,
  container: Docker.Container,
  options: { streamOutput: boolean; prefix: string },
): Promise<{ done: Promise<void>; tail: OutputTail }> {
  const tail = new OutputTail();
  const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
  const sink = (target: NodeJS.WriteStream) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        const text = chunk.toString("utf8");
        tail.push(text);
        if (options.streamOutput) target.write(text.replace(/^(?=.)/gm, options.prefix));
        callback();
      },
    });
  // Without a TTY the engine multiplexes stdout and stderr with 8-byte frame headers.
  docker.modem.demuxStream(stream, sink(process.stdout), sink(process.stderr));
  const done = new Promise<void>((resolve) => {
    stream.once("end", () => resolve());
    stream.once("close", () => resolve());
    // The output is a convenience: a broken log stream must not lose the run's exit.
    stream.once("error", () => resolve());
  });
  return { done, tail };
}
