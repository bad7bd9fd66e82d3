/**
 * @codex/http
 *
 * The one HTTP layer of the Codex TypeScript stack: undici dispatcher, fetch with deadlines and retries, a redacting logger and a Secret wrapper. Nothing is exported yet: see README.md for what this package will provide.
 */
export {};
