/**
 * `baton ... | head` closes the pipe before Baton has written everything: the next write fails
 * with EPIPE, which, with no listener, is an uncaught exception and a stack trace for the user.
 * A reader that has gone away wants no more output; the command ends quietly, as `ls | head`
 * does, with exit code 0 (a script under `set -o pipefail` sees the reader's outcome, not ours).
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}
