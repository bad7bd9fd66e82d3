import type { HttpClient } from "@codex/http";
import type { Logger } from "@codex/wire";
import type { ModelClientOptions } from "../model-client-options.js";
import type { RequestIdentity } from "../responses-request.js";
import type { HeaderSource } from "./client-headers.js";
import type { SendSetup } from "./send-setup.js";
import type { WsConnection, WsConnectOptions } from "./websocket-connection.js";

/** What a session reaches of its client (package-private). */
export interface ClientInternals {
  readonly options: ModelClientOptions;
  readonly http: HttpClient;
  readonly logger: Logger;
  /** The session-scoped values of the client's headers (provider, ids, session source). */
  readonly headerSource: HeaderSource;
  setup(): Promise<SendSetup>;
  attestationHeader(
    setup: SendSetup,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, string>>;
  commonHeaders(turnMetadata: string | undefined): Record<string, string>;
  websocketHeaders(
    setup: SendSetup,
    turnState: string | undefined,
    turnMetadata: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, string>>;
  identity(): RequestIdentity;
  websocketsEnabled(): boolean;
  /**
   * Connection options of a handshake to `url`: the custom CA added to Node's roots, and a
   * CONNECT tunnel agent when the proxy variables say so.
   */
  websocketOptions(url: string): WsConnectOptions;
  forceHttpFallback(): void;
  takeWebsocket(): WsConnection | undefined;
  returnWebsocket(connection: WsConnection): void;
}

const registry = new WeakMap<object, ClientInternals>();

/** Called once by the client's constructor. */
export function registerClientInternals(client: object, internals: ClientInternals): void {
  registry.set(client, internals);
}

/** The internals of a client built by this package. */
export function clientInternals(client: object): ClientInternals {
  const internals = registry.get(client);
  if (internals === undefined) throw new TypeError("not a ModelClient of this package");
  return internals;
}
