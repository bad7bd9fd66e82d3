import { createHash } from "node:crypto";
import type { ResolvedOptions } from "../fake-backend-options.js";
import type { TokenSet } from "../token-set.js";
import { encodeUnsignedJwt } from "../unsigned-jwt.js";

export type { TokenSet };

interface PendingCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly expiresAt: number;
  readonly scope: string;
}

interface RefreshEntry {
  readonly family: string;
  readonly expiresAt: number;
  status: "active" | "used";
}

interface AccessEntry {
  readonly family: string;
  readonly expiresAt: number;
  readonly accountId: string;
}

interface DeviceEntry {
  readonly userCode: string;
  readonly expiresAt: number;
  polls: number;
}

/** Result of a grant: tokens, or an OAuth error to answer. */
export type GrantResult =
  | { readonly ok: true; readonly tokens: TokenSet }
  | {
      readonly ok: false;
      readonly status: number;
      readonly code: string;
      readonly message: string;
    };

/** Clock, randomness and lifetimes the store needs: the resolved options plus the issuer URL. */
export interface IssuerStoreConfig
  extends Pick<
    ResolvedOptions,
    | "clientId"
    | "account"
    | "now"
    | "randomBytes"
    | "accessTokenTtlSeconds"
    | "refreshTokenTtlSeconds"
    | "authorizationCodeTtlSeconds"
  > {
  readonly issuer: string;
  readonly deviceCodeTtlSeconds: number;
  readonly devicePendingPolls: number;
}

/** base64url-no-pad SHA-256, the S256 PKCE transform. */
export function s256(verifier: string): string {
  return createHash("sha256").update(verifier, "utf8").digest("base64url");
}

const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * The issuer's memory: authorization codes, refresh-token families (rotation with reuse
 * detection), access tokens, device codes and minted API keys. All time comes from the
 * injected clock.
 */
export class IssuerStore {
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, RefreshEntry>();
  private readonly accessTokens = new Map<string, AccessEntry>();
  private readonly revokedFamilies = new Set<string>();
  private readonly devices = new Map<string, DeviceEntry>();
  private readonly mintedApiKeys = new Set<string>();
  private readonly config: IssuerStoreConfig;

  constructor(config: IssuerStoreConfig) {
    this.config = config;
  }

  /** A random url-safe string of `bytes` random bytes, with a prefix. */
  randomToken(prefix: string, bytes = 24): string {
    return prefix + Buffer.from(this.config.randomBytes(bytes)).toString("base64url");
  }

  /** Stores a new authorization code bound to the client, redirect URI and PKCE challenge. */
  createCode(clientId: string, redirectUri: string, codeChallenge: string, scope: string): string {
    const code = this.randomToken("ac_");
    this.codes.set(code, {
      clientId,
      redirectUri,
      codeChallenge,
      scope,
      expiresAt: this.config.now() + this.config.authorizationCodeTtlSeconds * 1000,
    });
    return code;
  }

  /** Whether a PKCE challenge or verifier has the RFC 7636 shape. */
  static isPkceValue(value: string): boolean {
    return PKCE_VALUE.test(value);
  }

  /** The `authorization_code` grant: single-use code, matching client and redirect, S256 check. */
  exchangeCode(code: string, clientId: string, redirectUri: string, verifier: string): GrantResult {
    const entry = this.codes.get(code);
    // A code is single use whatever the outcome, as OAuth servers do.
    this.codes.delete(code);
    if (entry === undefined) return invalidGrant("authorization code is unknown or already used");
    if (entry.expiresAt <= this.config.now()) return invalidGrant("authorization code expired");
    if (entry.clientId !== clientId) return invalidGrant("client_id does not match the code");
    if (entry.redirectUri !== redirectUri)
      return invalidGrant("redirect_uri does not match the code");
    if (!IssuerStore.isPkceValue(verifier) || s256(verifier) !== entry.codeChallenge) {
      return invalidGrant("code_verifier does not match the code_challenge");
    }
    return { ok: true, tokens: this.mint(this.randomToken("fam_", 12)) };
  }

  /** The `refresh_token` grant with rotation; presenting a used token revokes its family. */
  refresh(refreshToken: string): GrantResult {
    const entry = this.refreshTokens.get(refreshToken);
    if (entry === undefined) {
      return refreshError(
        "refresh_token_invalidated",
        "Your refresh token is invalid or has been revoked.",
      );
    }
    if (this.revokedFamilies.has(entry.family)) {
      return refreshError("refresh_token_invalidated", "Your refresh token has been revoked.");
    }
    if (entry.status === "used") {
      this.revokedFamilies.add(entry.family);
      return refreshError(
        "refresh_token_reused",
        "Your refresh token has already been used to generate a new access token. Please try signing in again.",
      );
    }
    if (entry.expiresAt <= this.config.now()) {
      return refreshError(
        "refresh_token_expired",
        "Your refresh token has expired. Please try signing in again.",
      );
    }
    entry.status = "used";
    return { ok: true, tokens: this.mint(entry.family) };
  }

  /** Mints tokens for the configured account in a family (a new family when omitted). */
  mint(family: string = this.randomToken("fam_", 12)): TokenSet {
    const now = this.config.now();
    const nowSeconds = Math.floor(now / 1000);
    const ttl = this.config.accessTokenTtlSeconds;
    const account = this.config.account;
    const authClaims = {
      chatgpt_account_id: account.chatgptAccountId,
      chatgpt_plan_type: account.planType,
      chatgpt_user_id: account.chatgptUserId,
      user_id: account.chatgptUserId,
    };
    const idToken = encodeUnsignedJwt({
      iss: this.config.issuer,
      aud: [this.config.clientId],
      sub: `auth0|${account.chatgptUserId}`,
      email: account.email,
      email_verified: true,
      iat: nowSeconds,
      auth_time: nowSeconds,
      exp: nowSeconds + ttl,
      "https://api.openai.com/profile": { email: account.email, email_verified: true },
      "https://api.openai.com/auth": {
        ...authClaims,
        chatgpt_account_is_fedramp: account.isFedramp,
        organization_id: account.organizationId,
        project_id: account.projectId,
        completed_platform_onboarding: account.completedPlatformOnboarding,
        is_org_owner: account.isOrgOwner,
        organizations: [
          {
            id: account.organizationId,
            is_default: true,
            role: account.isOrgOwner ? "owner" : "member",
            title: account.workspaceName,
          },
        ],
      },
    });
    const accessToken = encodeUnsignedJwt({
      iss: this.config.issuer,
      aud: ["https://api.openai.com/v1"],
      sub: `auth0|${account.chatgptUserId}`,
      client_id: this.config.clientId,
      jti: this.randomToken("", 12),
      iat: nowSeconds,
      nbf: nowSeconds,
      exp: nowSeconds + ttl,
      scp: ["openid", "profile", "email", "offline_access"],
      "https://api.openai.com/profile": { email: account.email, email_verified: true },
      "https://api.openai.com/auth": authClaims,
    });
    const refreshToken = this.randomToken("rt_");
    this.accessTokens.set(accessToken, {
      family,
      expiresAt: now + ttl * 1000,
      accountId: account.chatgptAccountId,
    });
    this.refreshTokens.set(refreshToken, {
      family,
      status: "active",
      expiresAt: now + this.config.refreshTokenTtlSeconds * 1000,
    });
    return { idToken, accessToken, refreshToken, expiresIn: ttl };
  }

  /** Checks an access token minted here: valid, expired, revoked or unknown. */
  checkAccessToken(
    token: string,
  ):
    | { valid: true; accountId: string }
    | { valid: false; failure: "unknown" | "expired" | "revoked" } {
    const entry = this.accessTokens.get(token);
    if (entry === undefined) return { valid: false, failure: "unknown" };
    if (this.revokedFamilies.has(entry.family)) return { valid: false, failure: "revoked" };
    if (entry.expiresAt <= this.config.now()) return { valid: false, failure: "expired" };
    return { valid: true, accountId: entry.accountId };
  }

  /** Revokes the family of a refresh or access token; reports which kind matched. */
  revoke(token: string): "refresh_token" | "access_token" | "unknown" {
    const refresh = this.refreshTokens.get(token);
    if (refresh !== undefined) {
      this.revokedFamilies.add(refresh.family);
      return "refresh_token";
    }
    const access = this.accessTokens.get(token);
    if (access !== undefined) {
      this.revokedFamilies.add(access.family);
      return "access_token";
    }
    return "unknown";
  }

  /** Mints an API key for the token-exchange grant. */
  mintApiKey(): string {
    const key = this.randomToken("sk-fake-");
    this.mintedApiKeys.add(key);
    return key;
  }

  /** Whether this API key was minted by the token-exchange grant. */
  isMintedApiKey(key: string): boolean {
    return this.mintedApiKeys.has(key);
  }

  /** Starts a device-code login. */
  createDeviceCode(): { deviceAuthId: string; userCode: string } {
    const deviceAuthId = this.randomToken("deviceauth_", 16);
    const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    const bytes = this.config.randomBytes(8);
    let userCode = "";
    for (let i = 0; i < 8; i++) {
      if (i === 4) userCode += "-";
      userCode += alphabet[bytes[i]! % alphabet.length];
    }
    this.devices.set(deviceAuthId, {
      userCode,
      polls: 0,
      expiresAt: this.config.now() + this.config.deviceCodeTtlSeconds * 1000,
    });
    return { deviceAuthId, userCode };
  }

  /**
   * One device poll: pending (403) for the first `pendingPolls` polls, then an authorization
   * code bound to a server-made PKCE pair and `{issuer}/deviceauth/callback`.
   */
  pollDevice(
    deviceAuthId: string,
    userCode: string,
  ):
    | { state: "pending" }
    | { state: "unknown" }
    | { state: "expired" }
    | {
        state: "approved";
        authorizationCode: string;
        codeChallenge: string;
        codeVerifier: string;
      } {
    const entry = this.devices.get(deviceAuthId);
    if (entry === undefined || entry.userCode !== userCode) return { state: "unknown" };
    if (entry.expiresAt <= this.config.now()) {
      this.devices.delete(deviceAuthId);
      return { state: "expired" };
    }
    if (entry.polls < this.config.devicePendingPolls) {
      entry.polls++;
      return { state: "pending" };
    }
    this.devices.delete(deviceAuthId);
    const codeVerifier = Buffer.from(this.config.randomBytes(64)).toString("base64url");
    const codeChallenge = s256(codeVerifier);
    const authorizationCode = this.createCode(
      this.config.clientId,
      `${this.config.issuer}/deviceauth/callback`,
      codeChallenge,
      "openid profile email offline_access",
    );
    return { state: "approved", authorizationCode, codeChallenge, codeVerifier };
  }
}

function invalidGrant(message: string): GrantResult {
  return { ok: false, status: 400, code: "invalid_grant", message };
}

function refreshError(code: string, message: string): GrantResult {
  return { ok: false, status: 401, code, message };
}
