import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import { fakeJwt } from "../../test/e2e-loopback-issuer.js";
import type { AuthDotJson } from "../auth-dot-json.js";
import { LoginError } from "../errors.js";
import { parseIdToken } from "../id-token.js";
import type { AuthStorage } from "../storage/auth-storage.js";
import { resolveLoginFlow } from "./login-flow-options.js";

function memory(): AuthStorage & { value: AuthDotJson | undefined } {
  const s = {
    mode: "ephemeral" as const,
    value: undefined as AuthDotJson | undefined,
    load: async () => s.value,
    save: async (a: AuthDotJson) => {
      s.value = a;
    },
    delete: async () => false,
  };
  return s;
}

describe("resolveLoginFlow", () => {
  it.each([
    ["no options", null, "f needs an options object"],
    [
      "workspace ids not an array",
      { codexHome: "/h", forcedWorkspaceIds: "ws" },
      "forcedWorkspaceIds must be an array of strings",
    ],
    [
      "workspace id not a string",
      { codexHome: "/h", forcedWorkspaceIds: [1] },
      "forcedWorkspaceIds must be an array of strings",
    ],
    ["bad issuer", { codexHome: "/h", issuer: "ftp://x" }, "issuer must be an http(s) URL"],
  ])("%s → invalid_argument", (_n, options, message) => {
    expect(() => resolveLoginFlow(options as never, "f", "c")).toThrow(
      expect.objectContaining({ code: "invalid_argument", message }),
    );
    expect(() => resolveLoginFlow(options as never, "f", "c")).toThrow(LoginError);
  });

  it("empty home → invalid_codex_home (the one check of a home)", () => {
    expect(() => resolveLoginFlow({ codexHome: "" }, "f", "c")).toThrow(
      expect.objectContaining({
        code: "invalid_codex_home",
        message: "codexHome must be a non-empty path",
      }),
    );
  });

  it("defaults to upstream's issuer and client id; the manager's store wins over storeMode", () => {
    const storage = memory();
    const flow = resolveLoginFlow(
      { codexHome: "/h", storeMode: "file", authManager: { storage, reload: async () => true } },
      "f",
      "c",
    );
    expect(flow.issuer).toBe("https://auth.openai.com");
    expect(flow.clientId).toBe("app_EMoamEEZ73f0CkXaXp7hrann");
    expect(flow.storage).toBe(storage);
    expect(
      resolveLoginFlow({ codexHome: "/h", issuer: "http://127.0.0.1:9/" }, "f", "c").issuer,
    ).toBe("http://127.0.0.1:9");
  });

  it("save() persists the login and then reloads the manager", async () => {
    const storage = memory();
    const events: string[] = [];
    const flow = resolveLoginFlow(
      {
        codexHome: "/h",
        storage,
        revokeSuperseded: false,
        now: () => new Date("2026-05-01T00:00:00Z"),
        authManager: {
          storage: memory(),
          reload: async () => {
            events.push(`reload after save: ${storage.value !== undefined}`);
            return true;
          },
        },
      },
      "f",
      "c",
    );
    const idToken = parseIdToken(
      fakeJwt({ "https://api.openai.com/auth": { chatgpt_account_id: "ws-9" } }),
    );
    const saved = await flow.save(
      { idToken: idToken.rawJwt, accessToken: new Secret("at"), refreshToken: new Secret("rt") },
      idToken,
      null,
    );
    expect(events).toEqual(["reload after save: true"]);
    expect(storage.value).toBe(saved);
    expect(saved.tokens?.accountId).toBe("ws-9");
    expect(saved.lastRefresh).toBe("2026-05-01T00:00:00Z");
  });
});
