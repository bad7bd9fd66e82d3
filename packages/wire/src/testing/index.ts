/** Test helpers of `@codex/wire`, for any package's tests. Never imported by production code. */

export type { CapturedLogger } from "./capture-logger.js";
export { captureLogger } from "./capture-logger.js";
export type { SystemProbe, SystemTestGate, SystemTestGateOptions } from "./system-test-gate.js";
export {
  findExecutable,
  REQUIRE_SYSTEM_TESTS_ENV,
  systemTestGate,
} from "./system-test-gate.js";
