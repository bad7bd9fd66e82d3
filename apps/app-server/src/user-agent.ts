import { readFileSync } from "node:fs";
import { arch, release, type } from "node:os";

/** What the user agent is built from; every field has a default read from the running process. */
export interface UserAgentInput {
  /** The originator: `clientInfo.name`. */
  readonly originator: string;
  readonly clientName: string;
  readonly clientVersion: string;
  /** Version reported after the originator (default: this package's version). */
  readonly version?: string;
  /** Environment for the terminal part (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** `{os} {os version}` (default: read from the system). */
  readonly os?: string;
  /** CPU architecture in upstream's naming (default: from `process.arch`). */
  readonly arch?: string;
}

const OS_NAMES: Readonly<Record<string, string>> = {
  debian: "Debian",
  ubuntu: "Ubuntu",
  alpine: "Alpine Linux",
  fedora: "Fedora",
  arch: "Arch Linux",
  centos: "CentOS",
  rhel: "Red Hat Enterprise Linux",
  amzn: "Amazon Linux",
  opensuse: "openSUSE",
  nixos: "NixOS",
};

/** Upstream (os_info) prints numeric versions as `major.minor.patch`. */
function semantic(version: string): string {
  if (!/^\d+(\.\d+){0,2}$/.test(version)) return version;
  const parts = version.split(".").map((part) => String(Number(part)));
  while (parts.length < 3) parts.push("0");
  return parts.join(".");
}

function linuxOs(): string {
  try {
    const text = readFileSync("/etc/os-release", "utf8");
    const field = (key: string) =>
      new RegExp(`^${key}=("?)([^"\\n]*)\\1$`, "m").exec(text)?.[2]?.trim() ?? "";
    const id = field("ID");
    const name = OS_NAMES[id] ?? "Linux";
    const version = field("VERSION_ID");
    return version === "" ? `${name} Unknown` : `${name} ${semantic(version)}`;
  } catch {
    return `Linux ${semantic(release().split("-")[0] ?? "")}`;
  }
}

let cachedOs: string | undefined;

/** `{os} {os version}` of this machine, e.g. `Debian 12.0.0`. */
export function osDescription(): string {
  if (cachedOs !== undefined) return cachedOs;
  const kind = type();
  if (kind === "Linux") cachedOs = linuxOs();
  else if (kind === "Darwin") cachedOs = `Mac OS ${release()}`;
  else if (kind === "Windows_NT") cachedOs = `Windows ${release()}`;
  else cachedOs = `${kind} ${release()}`;
  return cachedOs;
}

/** The CPU architecture as upstream prints it (`x86_64`, `aarch64`, …). */
export function archDescription(nodeArch: string = arch()): string {
  if (nodeArch === "x64") return "x86_64";
  if (nodeArch === "arm64") return "aarch64";
  if (nodeArch === "ia32") return "x86";
  return nodeArch;
}

/** Upstream's terminal token: `TERM_PROGRAM[/TERM_PROGRAM_VERSION]`, else `TERM`, else `unknown`. */
export function terminalDescription(env: NodeJS.ProcessEnv = process.env): string {
  const program = env.TERM_PROGRAM?.trim();
  if (program) {
    const version = env.TERM_PROGRAM_VERSION?.trim();
    return version ? `${program}/${version}` : program;
  }
  const term = env.TERM?.trim();
  return term ? term : "unknown";
}

let cachedVersion: string | undefined;

/** This package's version (reported where upstream reports its CLI version). */
export function appServerVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  try {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    cachedVersion = typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    cachedVersion = "0.0.0";
  }
  return cachedVersion;
}

/** Replaces what an HTTP header value cannot carry, as upstream sanitises its user agent. */
function headerSafe(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  return text.replace(/[\u0000-\u001f\u007f]|[^\u0000-\u007f]/g, "_");
}

/**
 * The user agent of a connection, in 0.169's format:
 * `{originator}/{version} ({os} {os version}; {arch}) {terminal} ({client name}; {client version})`.
 *
 * @example
 * userAgent({ originator: "acme", clientName: "acme", clientVersion: "1.0", version: "0.1.0", os: "Debian 12.0.0", arch: "x86_64", env: { TERM: "xterm" } });
 * // "acme/0.1.0 (Debian 12.0.0; x86_64) xterm (acme; 1.0)"
 */
export function userAgent(input: UserAgentInput): string {
  const version = input.version ?? appServerVersion();
  const os = input.os ?? osDescription();
  const cpu = input.arch ?? archDescription();
  const terminal = terminalDescription(input.env);
  return headerSafe(
    `${input.originator}/${version} (${os}; ${cpu}) ${terminal} (${input.clientName}; ${input.clientVersion})`,
  );
}

/** Whether `value` is a valid HTTP header value (what 0.169 demands of `clientInfo.name`). */
export function isHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return false;
  }
  return true;
}
