import { EnvHttpProxyAgent, request } from "undici";
import { describe, expect, it } from "vitest";
import { startConnectProxy } from "../../test/support/loopback.js";
import {
  bypassesProxy,
  envHttpProxyAgentOptions,
  type ProxyEnv,
  proxyFor,
  readProxyEnv,
} from "./proxy-env.js";

describe("readProxyEnv", () => {
  it("reads each variable upper case first, else lower case; empty is unset", () => {
    expect(readProxyEnv({})).toEqual({
      httpProxy: undefined,
      httpsProxy: undefined,
      noProxy: undefined,
    });
    expect(
      readProxyEnv({ HTTP_PROXY: "http://u:1", http_proxy: "http://l:1", https_proxy: "s:2" }),
    ).toEqual({ httpProxy: "http://u:1", httpsProxy: "s:2", noProxy: undefined });
    expect(readProxyEnv({ no_proxy: "a.test" }).noProxy).toBe("a.test");
    // An upper-case variable set to "" hides the lower-case one (reqwest's reading).
    expect(readProxyEnv({ HTTP_PROXY: "", http_proxy: "http://l:1" }).httpProxy).toBeUndefined();
  });

  it("hands undici empty strings for unset variables (so it never reads process.env)", () => {
    expect(envHttpProxyAgentOptions(readProxyEnv({ NO_PROXY: "x" }))).toEqual({
      httpProxy: "",
      httpsProxy: "",
      noProxy: "x",
    });
  });
});

describe("bypassesProxy (undici's EnvHttpProxyAgent rules)", () => {
  const url = new URL("wss://api.openai.com/v1/responses");
  it.each([
    [undefined, false],
    ["", false],
    ["*", true],
    ["api.openai.com", true],
    ["openai.com", true],
    [".openai.com", true],
    ["*.openai.com", true],
    ["OPENAI.COM", true],
    ["penai.com", false],
    ["example.com,openai.com", true],
    ["example.com openai.com", true],
    ["openai.com:443", true],
    ["openai.com:8443", false],
  ] as const)("NO_PROXY=%j → %s", (noProxy, bypass) => {
    expect(bypassesProxy(url, noProxy)).toBe(bypass);
  });

  it("uses the URL's explicit port", () => {
    expect(bypassesProxy(new URL("ws://127.0.0.1:8080/"), "127.0.0.1:8080")).toBe(true);
    expect(bypassesProxy(new URL("ws://127.0.0.1:8080/"), "127.0.0.1:80")).toBe(false);
  });
});

/**
 * One table, run through `proxyFor` and through undici's own `EnvHttpProxyAgent` (configured as
 * createDispatcher configures it): the WebSocket choice must be the HTTP choice. `S` stands for
 * the HTTPS proxy, `H` for the HTTP proxy; both are loopback proxies that refuse every tunnel, and
 * direct connections are caught by a connector that dials nothing, so no case leaves the machine.
 */
const CHOICES: readonly (readonly [string, Record<string, string>, "S" | "H" | "direct"])[] = [
  ["https://api.openai.com/v1", { HTTPS_PROXY: "S", HTTP_PROXY: "H" }, "S"],
  ["https://api.openai.com/v1", { HTTP_PROXY: "H" }, "H"],
  ["https://api.openai.com/v1", { HTTPS_PROXY: "", http_proxy: "H" }, "H"],
  ["http://api.openai.com/v1", { HTTPS_PROXY: "S" }, "direct"],
  ["http://api.openai.com/v1", { https_proxy: "S", http_proxy: "H" }, "H"],
  ["https://api.openai.com/v1", {}, "direct"],
  ["https://api.openai.com/v1", { HTTPS_PROXY: "S", NO_PROXY: "*" }, "direct"],
  ["https://api.openai.com/v1", { HTTPS_PROXY: "S", NO_PROXY: "openai.com" }, "direct"],
  ["https://api.openai.com/v1", { HTTPS_PROXY: "S", no_proxy: "*.openai.com" }, "direct"],
  ["https://api.openai.com/v1", { HTTPS_PROXY: "S", NO_PROXY: ".OpenAI.com" }, "direct"],
  ["https://api.openai.com/v1", { HTTPS_PROXY: "S", NO_PROXY: "penai.com" }, "S"],
  ["https://api.openai.com/v1", { HTTPS_PROXY: "S", NO_PROXY: "x.test openai.com:443" }, "direct"],
  ["https://api.openai.com/v1", { HTTPS_PROXY: "S", NO_PROXY: "openai.com:8443" }, "S"],
  ["https://api.openai.com:8443/v1", { HTTPS_PROXY: "S", NO_PROXY: "openai.com:8443" }, "direct"],
  ["http://example.test:8080/", { HTTP_PROXY: "H", NO_PROXY: "example.test:80" }, "H"],
  ["http://example.test/", { HTTP_PROXY: "H", NO_PROXY: "a.test,,example.test" }, "direct"],
  ["http://example.test/", { HTTP_PROXY: "H", NO_PROXY: "" }, "H"],
];

describe("the proxy choice: proxyFor and undici agree", () => {
  it.each(CHOICES)("%s with %j → %s (proxyFor, ws: / wss:)", (url, env, expected) => {
    const proxyEnv = readProxyEnv(env);
    const choice = (u: URL) => {
      const chosen = proxyFor(u, proxyEnv);
      return chosen === undefined ? "direct" : chosen;
    };
    expect(choice(new URL(url))).toBe(expected);
    expect(choice(new URL(url.replace(/^http/, "ws")))).toBe(expected);
  });

  it("undici's EnvHttpProxyAgent makes the same choice for every row", async () => {
    const secureProxy = await startConnectProxy(502);
    const plainProxy = await startConnectProxy(502);
    const placeholders: Record<string, string> = { S: secureProxy.url, H: plainProxy.url };
    for (const [url, env, expected] of CHOICES) {
      const filled: Record<string, string> = {};
      for (const [name, value] of Object.entries(env)) {
        filled[name] =
          /_proxy$/i.test(name) && !/^no_/i.test(name) ? (placeholders[value] ?? value) : value;
      }
      const direct: string[] = [];
      const before = { S: secureProxy.tunnels.length, H: plainProxy.tunnels.length };
      const proxyEnv: ProxyEnv = readProxyEnv(filled);
      const agent = new EnvHttpProxyAgent({
        ...envHttpProxyAgentOptions(proxyEnv),
        connect: (options, callback) => {
          direct.push(options.hostname);
          callback(new Error("direct connections are not dialled in this test"), null);
        },
      });
      await request(url, { dispatcher: agent }).then(
        () => expect.unreachable(),
        () => undefined,
      );
      await agent.destroy();
      const seen =
        secureProxy.tunnels.length > before.S
          ? "S"
          : plainProxy.tunnels.length > before.H
            ? "H"
            : direct.length > 0
              ? "direct"
              : "none";
      expect({ url, env, seen }).toEqual({ url, env, seen: expected });
      // And proxyFor names the same proxy URL undici used.
      expect(proxyFor(new URL(url), proxyEnv)).toBe(
        expected === "direct" ? undefined : placeholders[expected],
      );
    }
  });
});
