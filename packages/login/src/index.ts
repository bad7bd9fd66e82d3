/**
 * @codex/login
 *
 * auth.json storage, CodexAuth, AuthManager with refresh and 401 recovery, browser and device-code login, logout and agent identity. Nothing is exported yet: see README.md for what this package will provide.
 */
export {};
