import { spawn } from "node:child_process";

/**
 * Opens `url` in the user's browser, best effort and detached: `$BROWSER` when set (`%s` is
 * replaced by the URL, else the URL is appended; `BROWSER=none` opens nothing), else `open` on
 * macOS, `cmd /c start` on Windows, `xdg-open` on a Linux desktop (nothing without `DISPLAY` or
 * `WAYLAND_DISPLAY`). Returns whether a browser was started.
 */
export function openBrowser(url: string, env: NodeJS.ProcessEnv): boolean {
  let command: string;
  let args: string[];
  const browser = env.BROWSER?.trim();
  if (browser === "none") return false;
  if (browser !== undefined && browser !== "") {
    const words = browser.split(/\s+/);
    command = words[0] as string;
    const rest = words.slice(1);
    args = browser.includes("%s") ? rest.map((w) => w.replaceAll("%s", url)) : [...rest, url];
  } else if (process.platform === "darwin") {
    command = "open";
    args = [url];
  } else if (process.platform === "win32") {
    command = "cmd";
    args = ["/c", "start", "", url];
  } else {
    if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return false;
    command = "xdg-open";
    args = [url];
  }
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true, env });
    child.on("error", () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}
