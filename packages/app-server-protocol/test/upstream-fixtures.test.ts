import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const fixtures = fileURLToPath(new URL("./fixtures/upstream-schema", import.meta.url));

/** sha256 of each vendored file, as recorded in /work/shared/upstream-schema/SOURCES.txt (copied beside them). */
const EXPECTED_SHA256: Record<string, string> = {
  "JSONRPCMessage.json": "b6a929677ee8afb5532dfc3ed5e85e571bae949f42ff9997ab72728ce9daff31",
  "JSONRPCRequest.json": "c8e632c56e4678f5ffae7592c8216a1a06d367daadf228497d175809c99a126d",
  "RpcError.json": "557f1495dda30f3e1289986e1bae3f237b6dde1f5ecee5f0523664f99d9c5294",
  "ClientRequest.json": "4b97ab5cf1161cd30db9984ab40090d823d51d96e575efb3653326e6f4b75516",
  "ServerRequest.json": "0dab5556a1adc30a97d308fe5387fa6ea0afa87fb046dc07f90fa4d117731616",
  "AttestationGenerateResponse.json":
    "c97a79d7ee916ec779bf1cbc01f496fe08e019e89ccf4dc3cc29625c511a40a3",
  "variants/AttestationGenerateResponse.seed-era-fork.json":
    "2c7b0a2d0f3e0d6ee013354a402eebc5acf5bd1a9a9b51808b6584b76d70a260",
  "v1/InitializeParams.json": "8547a71ed171e50f2dd9c1e36bab6f2a85f70013530e0b429d2087b889e971cf",
  "v1/InitializeResponse.json": "6b1b89b41543ffd634456451115c06478e07aabc19f4046541946a4c23dbfb4c",
  "v2/AccountUpdatedNotification.json":
    "35e3b9faf267683dbacb4d159b57ff5300ee5a5b40c330669cdafb45f1b70717",
  "v2/LoginAccountParams.json": "4a6c9ecd4719af1f5382c44df4e51709700b2b93cb4adda49b373ae85bf6b7fd",
  "v2/GetAccountParams.json": "5abac622e5d30758c5b8fa1b57ef42b636782c01d34ab6e3e103f143ba6eb18a",
  "v2/GetAccountResponse.json": "ba9836d2e8f65943f53b8ed50e786fe7c52220e2a82e18a6c4e7dccfa288203a",
};

describe("vendored upstream schema files", () => {
  it("are exactly the files listed, byte for byte (sha256 as in SOURCES.txt)", async () => {
    const entries = await readdir(fixtures, { withFileTypes: true, recursive: true });
    const jsonFiles = entries
      .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
      .map((entry) => relative(fixtures, join(entry.parentPath, entry.name)).split("\\").join("/"))
      .sort();
    expect(jsonFiles).toEqual(Object.keys(EXPECTED_SHA256).sort());
    for (const [path, sha] of Object.entries(EXPECTED_SHA256)) {
      const bytes = await readFile(join(fixtures, path));
      expect(createHash("sha256").update(bytes).digest("hex"), path).toBe(sha);
    }
  });

  it("agree with the SOURCES.txt copied beside them", async () => {
    const sources = await readFile(join(fixtures, "SOURCES.txt"), "utf8");
    for (const [path, sha] of Object.entries(EXPECTED_SHA256)) {
      const block = sources.split(/\n(?=\S)/).find((section) => section.startsWith(`${path}\n`));
      expect(block, path).toBeDefined();
      expect(block).toContain(`sha256: ${sha}`);
    }
  });
});
