/** Test helpers of `@codex/wire`, for any package's tests. Never imported by production code. */

export type { CapturedLogger } from "./capture-logger.js";
export { captureLogger } from "./capture-logger.js";
