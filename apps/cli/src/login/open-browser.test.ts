import { expect, it } from "vitest";
import { openBrowser } from "./open-browser.js";

it("opens nothing with BROWSER=none", () => {
  expect(openBrowser("http://127.0.0.1:1/x", { BROWSER: "none", DISPLAY: ":0" })).toBe(false);
});

it.runIf(process.platform === "linux")(
  "opens nothing on a Linux machine without a display or BROWSER",
  () => {
    expect(openBrowser("http://127.0.0.1:1/x", {})).toBe(false);
  },
);

it("starts $BROWSER (here `true`, which exits at once), detached", () => {
  expect(
    openBrowser("http://127.0.0.1:1/x", {
      BROWSER: "true",
      PATH: process.env.PATH ?? "/usr/bin:/bin",
    }),
  ).toBe(true);
});
