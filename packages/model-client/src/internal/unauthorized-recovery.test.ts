import { captureLogger } from "@codex/wire/testing";
import { describe, expect, it } from "vitest";
import type { AuthRecovery } from "../model-auth.js";
import { recoverUnauthorized } from "./unauthorized-recovery.js";

function recovery(steps: string[], fail = false): AuthRecovery & { ran: string[] } {
  const ran: string[] = [];
  return {
    ran,
    mode: "managed",
    stepName: () => steps[0] ?? "done",
    hasNext: () => steps.length > 0,
    unavailableReason: () => "ready",
    next: async () => {
      const step = steps.shift();
      if (step !== undefined) ran.push(step);
      if (fail) throw new Error("refresh failed for token abc");
      return { authStateChanged: true };
    },
  };
}

describe("recoverUnauthorized", () => {
  it("returns undefined without a recovery or once no step remains", async () => {
    const { logger } = captureLogger();
    expect(await recoverUnauthorized(undefined, logger)).toBeUndefined();
    expect(await recoverUnauthorized(recovery([]), logger)).toBeUndefined();
  });

  it("runs one step and says what ran", async () => {
    const { logger, records } = captureLogger();
    const r = recovery(["reload", "refresh_token"]);
    expect(await recoverUnauthorized(r, logger)).toEqual({
      retryAfterUnauthorized: true,
      recoveryMode: "managed",
      recoveryPhase: "reload",
    });
    expect(r.ran).toEqual(["reload"]);
    expect(records.map((record) => record.msg)).toContain("retrying after unauthorized recovery");
  });

  it("maps a failed step to refresh_token_failed without the cause's text", async () => {
    const { logger } = captureLogger();
    const error = await recoverUnauthorized(recovery(["refresh_token"], true), logger).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "refresh_token_failed", status: 401 });
    expect(String((error as Error).message)).not.toContain("abc");
  });
});
