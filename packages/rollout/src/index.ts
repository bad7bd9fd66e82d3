/**
 * @codex/rollout
 *
 * JSONL session rollout recorder, reader, listing, and the inference trace with replay. Nothing is exported yet: see README.md for what this package will provide.
 */
export {};
