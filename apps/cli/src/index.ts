/**
 * @codex/cli
 *
 * The codex command-line app. Nothing is exported yet: see README.md for what this package will provide.
 */
export {};
