import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeCodexHome } from "../../test/support/tmp.js";
import { parseAuthDotJson } from "../auth-dot-json.js";
import { decodeJwtPayload, parseJwtExpiration } from "../internal/jwt.js";
import { ChatGptAuthFixture, encodeAccessToken, encodeIdToken, writeApiKeyAuth } from "./index.js";

describe("@codex/login/testing", () => {
  it("encodes id tokens like upstream's encode_id_token", () => {
    const token = encodeIdToken({ email: "e@x", planType: "pro", chatgptAccountId: "ws" });
    expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString())).toEqual({
      alg: "none",
      typ: "JWT",
    });
    expect(decodeJwtPayload(token)).toEqual({
      email: "e@x",
      "https://api.openai.com/auth": { chatgpt_plan_type: "pro", chatgpt_account_id: "ws" },
    });
    expect(decodeJwtPayload(encodeIdToken())).toEqual({});
  });

  it("encodes access tokens with exp", () => {
    expect(parseJwtExpiration(encodeAccessToken({ exp: 123 }))).toBe(123);
    expect(parseJwtExpiration(encodeAccessToken())).toBeUndefined();
  });

  it("writes a ChatGPT auth.json that loads, with defaults like upstream's fixture", async () => {
    const home = makeCodexHome();
    await new ChatGptAuthFixture("at").accountId("ws").email("e@x").write(home);
    const text = readFileSync(join(home, "auth.json"), "utf8");
    const raw = JSON.parse(text);
    expect(raw.auth_mode).toBe("chatgpt");
    expect(raw.OPENAI_API_KEY).toBeNull();
    expect(raw.tokens.refresh_token).toBe("refresh-token");
    expect(raw.tokens.account_id).toBe("ws");
    expect(typeof raw.last_refresh).toBe("string");
    expect(parseAuthDotJson(text).tokens?.idToken.email).toBe("e@x");
    const noRefresh = new ChatGptAuthFixture("at").lastRefresh(null).build();
    expect(noRefresh.lastRefresh).toBeUndefined();
  });

  it("writes an API-key auth.json", async () => {
    const home = makeCodexHome();
    await writeApiKeyAuth(home, "sk-fixture");
    expect(readFileSync(join(home, "auth.json"), "utf8")).toBe(
      '{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-fixture"\n}',
    );
  });
});
