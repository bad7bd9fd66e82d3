/** Options of `AuthManager.startDeviceCodeLogin` (issuer, client and store come from the manager). */
export interface StartDeviceCodeLoginOptions {
  /** Cancels the login (polling stops at once, `login_cancelled`). */
  readonly signal?: AbortSignal | undefined;
  /** Longest wait for the user (default 15 min). */
  readonly maxWaitMs?: number | undefined;
}

/** Options of `AuthManager.startBrowserLogin` (issuer, client and store come from the manager). */
export interface StartBrowserLoginOptions {
  /** Port to bind on 127.0.0.1 (default 1455; 0 = OS-chosen). */
  readonly port?: number | undefined;
  /** Port tried when `port` stays busy (default 1457 for 1455, none otherwise; `null` = none). */
  readonly fallbackPort?: number | null | undefined;
  /** Deadline of the whole login in ms (default 10 min; 0 = none); then `login_timeout`. */
  readonly timeoutMs?: number | undefined;
  /** Exchange the id token for an API key after sign-in (default true). */
  readonly exchangeApiKey?: boolean | undefined;
}

/** Options of `AuthManager.logout`. */
export interface LogoutOptions {
  /**
   * Revoke the managed refresh (else access) token at the issuer first, best effort, like
   * upstream's `logout_with_revoke` (default false).
   */
  readonly revoke?: boolean | undefined;
}
