import { describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT } from "../fake-backend-options.js";
import { decodeJwtClaims } from "../unsigned-jwt.js";
import { IssuerStore, s256 } from "./issuer-store.js";

function store(overrides: Partial<ConstructorParameters<typeof IssuerStore>[0]> = {}) {
  let counter = 0;
  let now = 1_000_000;
  const s = new IssuerStore({
    issuer: "http://127.0.0.1:1",
    clientId: "client",
    account: DEFAULT_ACCOUNT,
    now: () => now,
    randomBytes: (size) => new Uint8Array(size).fill(++counter % 256),
    accessTokenTtlSeconds: 60,
    refreshTokenTtlSeconds: 120,
    authorizationCodeTtlSeconds: 30,
    deviceCodeTtlSeconds: 900,
    devicePendingPolls: 1,
    ...overrides,
  });
  return { s, advance: (ms: number) => (now += ms) };
}

const VERIFIER = "a".repeat(43);

describe("IssuerStore", () => {
  it("matches the RFC 7636 S256 example", () => {
    expect(s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe(
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });

  it("exchanges a code once, within its lifetime, for the same client and redirect", () => {
    const { s, advance } = store();
    const code = s.createCode("client", "http://localhost/cb", s256(VERIFIER), "openid");
    expect(s.exchangeCode(code, "client", "http://localhost/cb", VERIFIER).ok).toBe(true);
    expect(s.exchangeCode(code, "client", "http://localhost/cb", VERIFIER)).toMatchObject({
      ok: false,
      code: "invalid_grant",
    });
    const late = s.createCode("client", "http://localhost/cb", s256(VERIFIER), "openid");
    advance(31_000);
    expect(s.exchangeCode(late, "client", "http://localhost/cb", VERIFIER)).toMatchObject({
      ok: false,
      message: "authorization code expired",
    });
    const other = s.createCode("client", "http://localhost/cb", s256(VERIFIER), "openid");
    expect(s.exchangeCode(other, "other", "http://localhost/cb", VERIFIER).ok).toBe(false);
    const short = s.createCode("client", "http://localhost/cb", s256("short"), "openid");
    expect(s.exchangeCode(short, "client", "http://localhost/cb", "short").ok).toBe(false);
  });

  it("rotates refresh tokens, detects reuse and revokes the family", () => {
    const { s } = store();
    const first = s.mint();
    const second = s.refresh(first.refreshToken);
    if (!second.ok) throw new Error("refresh failed");
    expect(s.refresh(first.refreshToken)).toMatchObject({
      ok: false,
      status: 401,
      code: "refresh_token_reused",
    });
    expect(s.refresh(second.tokens.refreshToken)).toMatchObject({
      ok: false,
      code: "refresh_token_invalidated",
    });
    expect(s.checkAccessToken(second.tokens.accessToken)).toEqual({
      valid: false,
      failure: "revoked",
    });
    expect(s.refresh("rt_unknown")).toMatchObject({ ok: false, code: "refresh_token_invalidated" });
  });

  it("expires access and refresh tokens on the clock", () => {
    const { s, advance } = store();
    const tokens = s.mint();
    expect(s.checkAccessToken(tokens.accessToken)).toMatchObject({ valid: true });
    advance(60_000);
    expect(s.checkAccessToken(tokens.accessToken)).toEqual({ valid: false, failure: "expired" });
    advance(60_000);
    expect(s.refresh(tokens.refreshToken)).toMatchObject({
      ok: false,
      code: "refresh_token_expired",
    });
    expect(s.checkAccessToken("nope")).toEqual({ valid: false, failure: "unknown" });
  });

  it("mints upstream-shaped claims", () => {
    const { s } = store();
    const tokens = s.mint();
    const id = decodeJwtClaims(tokens.idToken)!;
    expect(id).toMatchObject({
      email: DEFAULT_ACCOUNT.email,
      aud: ["client"],
      "https://api.openai.com/profile": { email: DEFAULT_ACCOUNT.email },
      "https://api.openai.com/auth": {
        chatgpt_account_id: DEFAULT_ACCOUNT.chatgptAccountId,
        chatgpt_user_id: DEFAULT_ACCOUNT.chatgptUserId,
        user_id: DEFAULT_ACCOUNT.chatgptUserId,
        chatgpt_plan_type: "plus",
        completed_platform_onboarding: true,
        is_org_owner: true,
      },
    });
    expect(decodeJwtClaims(tokens.accessToken)!.exp).toBe(1_000 + 60);
  });

  it("revokes by refresh or access token and reports unknown ones", () => {
    const { s } = store();
    const a = s.mint();
    const b = s.mint();
    expect(s.revoke(a.refreshToken)).toBe("refresh_token");
    expect(s.revoke(b.accessToken)).toBe("access_token");
    expect(s.revoke("x")).toBe("unknown");
    expect(s.refresh(b.refreshToken)).toMatchObject({
      ok: false,
      code: "refresh_token_invalidated",
    });
  });

  it("walks a device code through pending, approved, then unknown", () => {
    const { s, advance } = store();
    const { deviceAuthId, userCode } = s.createDeviceCode();
    expect(s.pollDevice(deviceAuthId, "WRONG-CODE")).toEqual({ state: "unknown" });
    expect(s.pollDevice(deviceAuthId, userCode)).toEqual({ state: "pending" });
    const approved = s.pollDevice(deviceAuthId, userCode);
    if (approved.state !== "approved") throw new Error("expected approval");
    expect(s256(approved.codeVerifier)).toBe(approved.codeChallenge);
    expect(
      s.exchangeCode(
        approved.authorizationCode,
        "client",
        "http://127.0.0.1:1/deviceauth/callback",
        approved.codeVerifier,
      ).ok,
    ).toBe(true);
    expect(s.pollDevice(deviceAuthId, userCode)).toEqual({ state: "unknown" });
    const late = s.createDeviceCode();
    advance(901_000);
    expect(s.pollDevice(late.deviceAuthId, late.userCode)).toEqual({ state: "expired" });
  });

  it("remembers minted API keys only", () => {
    const { s } = store();
    const key = s.mintApiKey();
    expect(s.isMintedApiKey(key)).toBe(true);
    expect(s.isMintedApiKey("sk-other")).toBe(false);
  });
});
