// The OS services some login suites need, each behind a `systemTestGate` from @codex/wire/testing:
// without the service the suite skips with one printed line (what is missing, how to install it);
// with CODEX_REQUIRE_SYSTEM_TESTS=1 (CI) it fails with that line instead.
import { findExecutable, type SystemTestGate, systemTestGate } from "@codex/wire/testing";

const DEBIAN_INSTALL =
  "sudo apt-get install dbus gnome-keyring (or bash scripts/install-test-deps.sh)";

/**
 * A real, private Secret Service: the D-Bus session with an unlocked gnome-keyring that
 * scripts/with-secret-service.sh starts (it marks it with CODEX_LOGIN_IN_SECRET_SERVICE=1). A
 * desktop session's own bus does not count: the tests must never touch the user's keychain.
 */
export function secretServiceGate(): SystemTestGate {
  return systemTestGate("Secret Service", () => {
    if (process.platform !== "linux") {
      return {
        available: false,
        missing: `a Linux Secret Service (this is ${process.platform})`,
        install: "run these tests on Linux",
      };
    }
    if (process.env.CODEX_LOGIN_IN_SECRET_SERVICE === "1" && process.env.DBUS_SESSION_BUS_ADDRESS) {
      return { available: true };
    }
    const tools = ["dbus-run-session", "gnome-keyring-daemon"].filter((t) => !findExecutable([t]));
    return {
      available: false,
      missing:
        tools.length > 0
          ? `${tools.join(" and ")} on PATH (a private D-Bus session with gnome-keyring)`
          : "the private D-Bus session of scripts/with-secret-service.sh (run `pnpm --filter @codex/login test`)",
      install: DEBIAN_INSTALL,
    };
  });
}

/** `dbus-daemon`, with which the hanging-keyring tests start a private bus of their own. */
export function dbusDaemonGate(): SystemTestGate {
  return systemTestGate("D-Bus daemon", () =>
    process.platform === "linux" && findExecutable(["dbus-daemon"])
      ? { available: true }
      : { available: false, missing: "dbus-daemon on PATH (Linux)", install: DEBIAN_INSTALL },
  );
}

/** Where Chromium or Chrome is: `CHROME_PATH` if set, else the first browser found on PATH. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return findExecutable([fromEnv]);
  return findExecutable(["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]);
}

/** A Chromium-family browser that playwright-core can drive (never a downloaded one). */
export function chromiumGate(): SystemTestGate {
  return systemTestGate("Chromium", () => {
    if (findChromium()) return { available: true };
    return {
      available: false,
      missing: process.env.CHROME_PATH
        ? "an executable at CHROME_PATH"
        : "chromium, chromium-browser or google-chrome on PATH (or CHROME_PATH)",
      install: "sudo apt-get install chromium (or set CHROME_PATH to a Chrome/Chromium binary)",
    };
  });
}
