import { Secret } from "@codex/wire";
import { LoginError } from "./errors.js";
import { decodeJwtPayload } from "./internal/jwt.js";
import { type PlanType, planTypeFromClaim } from "./plan-type.js";

/** Claims Codex reads from a ChatGPT id token, plus the raw token (kept secret). */
export interface IdTokenInfo {
  /** Top-level `email`, else `https://api.openai.com/profile`.`email`. */
  readonly email: string | undefined;
  /** `chatgpt_plan_type` of the auth claims object. */
  readonly chatgptPlanType: PlanType | undefined;
  /** `chatgpt_user_id`, else `user_id`, of the auth claims object. */
  readonly chatgptUserId: string | undefined;
  /** `chatgpt_account_id` of the auth claims object. */
  readonly chatgptAccountId: string | undefined;
  /** `chatgpt_account_is_fedramp` (default false). */
  readonly chatgptAccountIsFedramp: boolean;
  /** The raw JWT, written back verbatim to auth.json. */
  readonly rawJwt: Secret;
}

const AUTH_CLAIM = "https://api.openai.com/auth";
const PROFILE_CLAIM = "https://api.openai.com/profile";

function optionalString(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") {
    throw new LoginError("invalid_id_token", `invalid ID token: claim ${key} is not a string`);
  }
  return v;
}

function optionalObject(
  obj: Record<string, unknown>,
  key: string,
): Record<string, unknown> | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new LoginError("invalid_id_token", `invalid ID token: claim ${key} is not an object`);
  }
  return v as Record<string, unknown>;
}

/**
 * Parses a ChatGPT id token (JWT) into {@link IdTokenInfo}. No signature validation. A claim of
 * the wrong JSON type fails the parse; the token never appears in the error.
 *
 * @throws {LoginError} code `invalid_id_token`.
 * @example
 * ```ts
 * const info = parseIdToken(rawJwt);
 * info.chatgptAccountId; // "ws-123"
 * ```
 */
export function parseIdToken(rawJwt: string): IdTokenInfo {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwtPayload(rawJwt);
  } catch (cause) {
    throw new LoginError("invalid_id_token", "invalid ID token: not a decodable JWT", { cause });
  }
  const profile = optionalObject(claims, PROFILE_CLAIM);
  const email = optionalString(claims, "email") ?? (profile && optionalString(profile, "email"));
  const auth = optionalObject(claims, AUTH_CLAIM);
  let chatgptPlanType: PlanType | undefined;
  let chatgptUserId: string | undefined;
  let chatgptAccountId: string | undefined;
  let fedramp = false;
  if (auth) {
    const plan = optionalString(auth, "chatgpt_plan_type");
    chatgptPlanType = plan === undefined ? undefined : planTypeFromClaim(plan);
    chatgptUserId = optionalString(auth, "chatgpt_user_id") ?? optionalString(auth, "user_id");
    chatgptAccountId = optionalString(auth, "chatgpt_account_id");
    const f = auth.chatgpt_account_is_fedramp;
    if (f !== undefined && f !== null) {
      if (typeof f !== "boolean") {
        throw new LoginError(
          "invalid_id_token",
          "invalid ID token: claim chatgpt_account_is_fedramp is not a boolean",
        );
      }
      fedramp = f;
    }
  }
  const info: IdTokenInfo = {
    email,
    chatgptPlanType,
    chatgptUserId,
    chatgptAccountId,
    chatgptAccountIsFedramp: fedramp,
    rawJwt: new Secret(rawJwt),
  };
  return info;
}
