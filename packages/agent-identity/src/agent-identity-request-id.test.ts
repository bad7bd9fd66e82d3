import { expect, it } from "vitest";
import { agentIdentityRequestId } from "./agent-identity-request-id.js";

it("is codex-agent-identity- plus 16 random bytes in unpadded base64url", () => {
  const bytes = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 + i);
  expect(agentIdentityRequestId({ randomBytes: () => bytes })).toBe(
    `codex-agent-identity-${Buffer.from(bytes).toString("base64url")}`,
  );
  const live = agentIdentityRequestId();
  expect(live).toMatch(/^codex-agent-identity-[A-Za-z0-9_-]{22}$/);
  expect(agentIdentityRequestId()).not.toBe(live);
});
