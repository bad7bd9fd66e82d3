/** Real loopback servers for this package's tests: started on 127.0.0.1, closed after each test. */
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import type { Duplex } from "node:stream";
import { afterEach } from "vitest";

const servers: Server[] = [];
/** Tunnelled sockets leave the server's books once CONNECT succeeds; closed here instead. */
const tunnelSockets = new Set<Duplex>();
afterEach(async () => {
  for (const socket of tunnelSockets) socket.destroy();
  tunnelSockets.clear();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Listens on an ephemeral 127.0.0.1 port (closed after the test) and returns the port. */
export async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

/**
 * A real CONNECT proxy, as undici's ProxyAgent tunnels through one; `tunnels` lists targets and
 * `authorizations` their `proxy-authorization` headers. With `refuse`, every CONNECT is answered
 * with that status and nothing is dialled (so targets may name hosts off this machine).
 */
export async function startConnectProxy(refuse?: number): Promise<{
  url: string;
  tunnels: string[];
  authorizations: (string | undefined)[];
}> {
  const tunnels: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on("connect", (req, client, head) => {
    tunnels.push(req.url ?? "");
    tunnelSockets.add(client);
    authorizations.push(req.headers["proxy-authorization"]);
    if (refuse !== undefined) {
      client.end(`HTTP/1.1 ${refuse} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    tunnelSockets.add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return { url: `http://127.0.0.1:${await listen(proxy)}`, tunnels, authorizations };
}
