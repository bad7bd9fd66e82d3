/**
 * @codex/fake-backend
 *
 * A real local stand-in for the ChatGPT and OpenAI endpoints, for end-to-end tests, benchmarks and the demo. Nothing is exported yet: see README.md for what this package will provide.
 */
export {};
