import { describe, expect, it } from "vitest";
import { z } from "zod";
import { named, schemaRegistry, titled } from "./schema-registry.js";

describe("schema registry", () => {
  it("records definition names, descriptions and titles without touching zod's global registry", () => {
    const a = named("RegistryTestA", z.object({ x: z.string() }), "An A.");
    const b = titled("RegistryTestB", z.object({ y: z.int() }));
    expect(schemaRegistry.get(a)).toEqual({ id: "RegistryTestA", description: "An A." });
    expect(schemaRegistry.get(b)).toEqual({ title: "RegistryTestB" });
    expect(z.globalRegistry.get(a)).toBeUndefined();
  });

  it("extracts named schemas into definitions when converting", () => {
    const inner = named("RegistryTestInner", z.enum(["p", "q"]));
    const outer = z.object({ inner });
    const json = z.toJSONSchema(outer, {
      target: "draft-07",
      metadata: schemaRegistry,
    }) as unknown as {
      definitions?: Record<string, unknown>;
      properties: { inner: { $ref: string } };
    };
    expect(json.properties.inner.$ref).toBe("#/definitions/RegistryTestInner");
    expect(json.definitions?.RegistryTestInner).toEqual({ type: "string", enum: ["p", "q"] });
  });
});
