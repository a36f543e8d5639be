import { createConnection, createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { tempDir } from "./tmp.js";

/**
 * A byte-for-byte proxy on a unix socket in front of another (a Docker engine's), recording the
 * request line of every HTTP request a client sends through it: what a proxy, an audit log or
 * the engine's debug log would see of the URL. Bodies pass through unread.
 */
export interface RecordingSocketProxy {
  /** `unix:///tmp/.../proxy.sock`, for DOCKER_HOST. */
  host: string;
  /** `POST /v1.41/containers/create?name=x` */
  requestLines(): string[];
  close(): Promise<void>;
}

const REQUEST_LINE = /((?:GET|POST|PUT|DELETE|HEAD|PATCH) \S+) HTTP\/1\.[01]\r\n/g;

export async function startRecordingSocketProxy(upstreamSocket: string): Promise<RecordingSocketProxy> {
  const dir = tempDir("baton-socket-proxy-");
  const path = join(dir.path, "proxy.sock");
  const lines: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(upstreamSocket);
    sockets.add(client).add(upstream);
    let seen = "";
    client.on("data", (chunk: Buffer) => {
      // Kept short: a request line is found even when it is split across chunks.
      seen = (seen + chunk.toString("latin1")).slice(-64 * 1024);
      let cut = 0;
      for (const m of seen.matchAll(REQUEST_LINE)) {
        lines.push(m[1]!);
        cut = m.index + m[0].length;
      }
      seen = seen.slice(cut);
    });
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    host: `unix://${path}`,
    requestLines: () => [...lines],
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      dir.remove();
    },
  };
}
