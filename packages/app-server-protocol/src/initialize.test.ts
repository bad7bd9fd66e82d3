import { describe, expect, it } from "vitest";
import { InitializeParams, InitializeResponse, NoParams } from "./initialize.js";

describe("initialize", () => {
  it("parses the spec's example params, capabilities optional or null", () => {
    const params = InitializeParams.parse({
      clientInfo: { name: "acme_desktop", title: "Acme", version: "1.2.0" },
      capabilities: {
        experimentalApi: true,
        requestAttestation: true,
        optOutNotificationMethods: ["thread/started"],
      },
    });
    expect(params.capabilities?.requestAttestation).toBe(true);
    expect(
      InitializeParams.parse({ clientInfo: { name: "a", version: "1" }, capabilities: null })
        .capabilities,
    ).toBeNull();
    expect(InitializeParams.parse({ clientInfo: { name: "a", version: "1" } })).toEqual({
      clientInfo: { name: "a", version: "1" },
    });
  });

  it.each([
    ["no clientInfo", {}],
    ["clientInfo without version", { clientInfo: { name: "a" } }],
    [
      "capabilities of the wrong type",
      { clientInfo: { name: "a", version: "1" }, capabilities: { experimentalApi: "yes" } },
    ],
    [
      "opt-out list of numbers",
      { clientInfo: { name: "a", version: "1" }, capabilities: { optOutNotificationMethods: [1] } },
    ],
  ])("rejects %s", (_name, value) => {
    expect(InitializeParams.safeParse(value).success).toBe(false);
  });

  it("parses the result with and without codexHome", () => {
    const base = { userAgent: "acme/0.0.0", platformFamily: "unix", platformOs: "linux" };
    expect(InitializeResponse.parse(base)).toEqual(base);
    expect(InitializeResponse.parse({ ...base, codexHome: "/home/u/.codex" }).codexHome).toBe(
      "/home/u/.codex",
    );
    expect(InitializeResponse.safeParse({ userAgent: "x" }).success).toBe(false);
  });

  it("NoParams accepts only an omitted or null params", () => {
    expect(NoParams.safeParse(undefined).success).toBe(true);
    expect(NoParams.safeParse(null).success).toBe(true);
    expect(NoParams.safeParse({}).success).toBe(false);
  });
});
