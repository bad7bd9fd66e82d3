import type { ChatgptBackendSettings } from "@codex/login";
import { describe, expect, it } from "vitest";
import { syncChatgptBackend } from "./chatgpt-backend-sync.js";

function fakeAuth(initial: ChatgptBackendSettings) {
  const calls: ChatgptBackendSettings[] = [];
  const auth = {
    chatgptBackend: initial,
    setChatgptBackend(settings: ChatgptBackendSettings) {
      calls.push(settings);
      auth.chatgptBackend = settings;
    },
  };
  return { auth, calls };
}

const config = {
  chatgptBaseUrl: "http://127.0.0.1:9/backend-api",
  features: { useAgentIdentity: true },
  agentIdentityAllowedHosts: ["127.0.0.1"],
};

describe("syncChatgptBackend", () => {
  it("points the login at the config's backend, mode and hosts", () => {
    const { auth, calls } = fakeAuth({ baseUrl: "https://chatgpt.com/backend-api/" });
    expect(syncChatgptBackend(auth, config)).toBe(true);
    expect(calls).toEqual([
      { baseUrl: config.chatgptBaseUrl, mode: "enabled", extraAllowedHosts: ["127.0.0.1"] },
    ]);
  });

  it("leaves settings that already match alone", () => {
    const { auth, calls } = fakeAuth({
      baseUrl: config.chatgptBaseUrl,
      mode: "enabled",
      extraAllowedHosts: ["127.0.0.1"],
    });
    expect(syncChatgptBackend(auth, config)).toBe(false);
    const off = fakeAuth({ baseUrl: config.chatgptBaseUrl });
    expect(
      syncChatgptBackend(off.auth, {
        ...config,
        features: { useAgentIdentity: false },
        agentIdentityAllowedHosts: [],
      }),
    ).toBe(false);
    expect([...calls, ...off.calls]).toEqual([]);
  });
});
