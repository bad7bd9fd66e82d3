import { createServer, type Server } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";

/** A CONNECT-only forward proxy on 127.0.0.1 that records every tunnel asked of it. */
export interface ConnectProxy {
  readonly url: string;
  readonly port: number;
  /** `host:port` targets and the `proxy-authorization` header of each CONNECT. */
  readonly tunnels: { target: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

/** Starts the proxy; `refuse` answers every CONNECT with that status instead. */
export async function startConnectProxy(refuse?: number): Promise<ConnectProxy> {
  const tunnels: ConnectProxy["tunnels"] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  server.on("connect", (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    const target = req.url ?? "";
    tunnels.push({ target, authorization: req.headers["proxy-authorization"] });
    if (refuse !== undefined) {
      client.end(`HTTP/1.1 ${refuse} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = [target.slice(0, target.lastIndexOf(":")), target.split(":").pop()];
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on("error", drop);
    client.on("error", drop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tunnels,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
