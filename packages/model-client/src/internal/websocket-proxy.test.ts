import { describe, expect, it } from "vitest";
import { bypassesProxy, ConnectTunnelAgent, websocketProxyFor } from "./websocket-proxy.js";

describe("websocketProxyFor", () => {
  const wss = new URL("wss://api.openai.com/v1/responses");
  const ws = new URL("ws://127.0.0.1:8080/v1/responses");

  it("wss uses HTTPS_PROXY, else HTTP_PROXY; ws uses HTTP_PROXY; lower case works too", () => {
    expect(
      websocketProxyFor(wss, { HTTPS_PROXY: "http://s:1", HTTP_PROXY: "http://h:2" })?.href,
    ).toBe("http://s:1/");
    expect(websocketProxyFor(wss, { http_proxy: "http://h:2" })?.href).toBe("http://h:2/");
    expect(websocketProxyFor(ws, { HTTPS_PROXY: "http://s:1" })).toBeUndefined();
    expect(websocketProxyFor(ws, { https_proxy: "http://s:1", http_proxy: "h:3" })?.href).toBe(
      "http://h:3/",
    );
    expect(websocketProxyFor(ws, { HTTP_PROXY: "" })).toBeUndefined();
    expect(websocketProxyFor(ws, {})).toBeUndefined();
  });

  it("refuses a proxy that is not http://", () => {
    expect(() => websocketProxyFor(ws, { HTTP_PROXY: "socks5://h:1" })).toThrow(
      "the proxy variable is not an http:// URL",
    );
  });

  it("honours NO_PROXY", () => {
    expect(websocketProxyFor(wss, { HTTPS_PROXY: "http://s:1", NO_PROXY: "openai.com" })).toBe(
      undefined,
    );
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

describe("ConnectTunnelAgent", () => {
  it("announces the protocol of the URL it serves (https.request checks it)", () => {
    const agent = new ConnectTunnelAgent(new URL("http://127.0.0.1:1"), true);
    expect((agent as unknown as { protocol: string }).protocol).toBe("https:");
    agent.destroy();
  });
});
