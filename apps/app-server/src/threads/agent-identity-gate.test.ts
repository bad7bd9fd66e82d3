import { describe, expect, it } from "vitest";
import { agentIdentityHostAllowed } from "./agent-identity-gate.js";

describe("agentIdentityHostAllowed", () => {
  it("admits upstream's hosts without extras", () => {
    expect(agentIdentityHostAllowed("https://chatgpt.com/backend-api/", [])).toBe(true);
    expect(agentIdentityHostAllowed("https://ab.chatgpt-staging.com/backend-api", [])).toBe(true);
  });

  it("admits a loopback backend only when listed", () => {
    expect(agentIdentityHostAllowed("http://127.0.0.1:4000/backend-api", [])).toBe(false);
    expect(agentIdentityHostAllowed("http://127.0.0.1:4000/backend-api", ["127.0.0.1"])).toBe(true);
    expect(agentIdentityHostAllowed("http://[::1]:4000/backend-api", ["[::1]"])).toBe(true);
    expect(agentIdentityHostAllowed("http://localhost:4000/backend-api", ["127.0.0.1"])).toBe(
      false,
    );
  });

  it("refuses what is not a URL", () => {
    expect(agentIdentityHostAllowed("not a url", ["127.0.0.1"])).toBe(false);
  });
});
