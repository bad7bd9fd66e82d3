import { Secret } from "@codex/wire";
import { describe, expect, it } from "vitest";
import {
  authRequestTelemetry,
  NO_PENDING_RETRY,
  pendingRetryFromRecovery,
} from "./auth-telemetry.js";

describe("authRequestTelemetry", () => {
  // Twin of upstream client_tests.rs `auth_request_telemetry_context_tracks_attached_auth_and_retry_phase`.
  it("tracks the attached auth and the recovery phase that ran", () => {
    const context = authRequestTelemetry(
      {
        mode: "chatgpt",
        authorization: new Secret("Bearer access-token"),
        accountId: "workspace-123",
      },
      pendingRetryFromRecovery("managed", "refresh_token"),
    );
    expect(context).toEqual({
      auth_mode: "Chatgpt",
      auth_header_attached: true,
      auth_header_name: "authorization",
      retry_after_unauthorized: true,
      recovery_mode: "managed",
      recovery_phase: "refresh_token",
    });
  });

  it("reports no auth and no retry", () => {
    expect(authRequestTelemetry(undefined, NO_PENDING_RETRY)).toEqual({
      auth_mode: null,
      auth_header_attached: false,
      auth_header_name: null,
      retry_after_unauthorized: false,
      recovery_mode: null,
      recovery_phase: null,
    });
    expect(
      authRequestTelemetry(
        { mode: "api_key", authorization: new Secret("Bearer sk") },
        NO_PENDING_RETRY,
      ).auth_mode,
    ).toBe("ApiKey");
  });
});
