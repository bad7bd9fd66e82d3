import { join, resolve } from "node:path";
import { expect, it } from "vitest";
import { resolveCliCodexHome } from "./codex-home.js";

it("uses $CODEX_HOME (made absolute), else ~/.codex", () => {
  expect(resolveCliCodexHome({ CODEX_HOME: "/x/y" })).toBe("/x/y");
  expect(resolveCliCodexHome({ CODEX_HOME: "rel" })).toBe(resolve("rel"));
  expect(resolveCliCodexHome({ CODEX_HOME: "", HOME: "/home/u" })).toBe(join("/home/u", ".codex"));
  expect(resolveCliCodexHome({ HOME: "/home/u" })).toBe("/home/u/.codex");
});
