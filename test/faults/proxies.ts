import http from "node:http";
import net from "node:net";

/**
 * A TCP balancer in front of server replicas, as a Kubernetes Service is: each new connection
 * goes to the next backend in turn; a backend that refuses a connection is left out for a while
 * (its endpoint removed) and the connection goes to the next one. Connections already open to a
 * backend that dies are cut, as they are in a cluster: clients must ride that out themselves.
 */
export interface Balancer {
  url: string;
  /** Connections handed to each backend port, and connections that found a backend dead. */
  figures(): { connections: Record<number, number>; refused: number };
  close(): Promise<void>;
}

const LEFT_OUT_MS = 5_000;

export async function startBalancer(backends: number[]): Promise<Balancer> {
  const connections: Record<number, number> = Object.fromEntries(backends.map((p) => [p, 0]));
  const downUntil = new Map<number, number>();
  let refused = 0;
  let next = 0;
  const sockets = new Set<net.Socket>();
  const connect = (client: net.Socket, tried: number) => {
    const candidates = backends.filter((p) => (downUntil.get(p) ?? 0) <= Date.now());
    if (tried >= backends.length || candidates.length === 0) return client.destroy();
    const port = candidates[next++ % candidates.length]!;
    const upstream = net.connect({ host: "127.0.0.1", port });
    sockets.add(upstream);
    upstream.once("close", () => sockets.delete(upstream));
    upstream.once("error", () => undefined);
    upstream.once("connect", () => {
      connections[port]!++;
      upstream.removeAllListeners("error");
      client.pipe(upstream).pipe(client);
      const cut = () => {
        client.destroy();
        upstream.destroy();
      };
      upstream.on("error", cut);
      client.on("error", cut);
      upstream.on("close", cut);
      client.on("close", cut);
    });
    upstream.once("error", () => {
      if (upstream.readyState === "open") return;
      refused++;
      downUntil.set(port, Date.now() + LEFT_OUT_MS);
      connect(client, tried + 1);
    });
  };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.once("close", () => sockets.delete(client));
    client.on("error", () => undefined);
    connect(client, 0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    figures: () => ({ connections: { ...connections }, refused }),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * An HTTP proxy in front of one server that can answer some requests itself: `intercept`
 * returns a status and headers to answer with, or undefined to pass the request on.
 */
export interface InterceptingProxy {
  url: string;
  close(): Promise<void>;
}

/** `headers`: the request's, so an intercept can tell a worker's key from a run's token. */
export type Intercept = (method: string, path: string, headers: http.IncomingHttpHeaders) => { status: number; headers: Record<string, string>; body: unknown } | undefined;

export async function startInterceptingProxy(target: string, intercept: Intercept): Promise<InterceptingProxy> {
  const base = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    const answer = intercept(req.method ?? "GET", (req.url ?? "/").split("?")[0]!, req.headers);
    if (answer) {
      req.resume();
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.body));
      return;
    }
    const upstream = http.request(
      { host: base.hostname, port: base.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answerFromServer) => {
        res.writeHead(answerFromServer.statusCode ?? 502, answerFromServer.headers);
        answerFromServer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api`,
    close: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
