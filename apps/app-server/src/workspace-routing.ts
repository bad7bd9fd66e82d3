import type { HttpClient } from "@codex/http";
import { z } from "zod";
import { AppServerError } from "./app-server-error.js";
import { chatgptBackendUrl } from "./chatgpt-backend-url.js";

/** Backend routing policies `/wham/accounts/check` may name. */
export type AccountRoutingOverride = "NO_CONSTRAINT" | "us" | "us_cr";

/** What routing discovery found for the selected workspace. */
export interface WorkspaceRouting {
  readonly chatgptAccountId: string;
  readonly backendOrigin: string;
  readonly accountRoutingOverride: AccountRoutingOverride;
  /** `name` of the workspace (account/read's `workspaceName`). */
  readonly workspaceName: string | null;
}

/** Why discovery failed: the call itself (`fetch`) or what it answered (`answer`). */
export type RoutingFailure = "fetch" | "answer";

const entrySchema = z.looseObject({
  id: z.string(),
  workspace_backend_origin: z.string().nullable().optional(),
  account_routing_override: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
});
type Entry = z.infer<typeof entrySchema>;

// 0.169 takes the routing fields from the list form (`{accounts: [{id, workspace_backend_origin,
// …}]}`) only: in the map form (`{accounts: {<id>: {account: {account_id, …}}}}`) it finds the
// account but no backend origin, whatever the entry holds (checked against the real 0.169).
const mapEntrySchema = z.looseObject({
  account: z.looseObject({ account_id: z.string(), name: z.string().nullable().optional() }),
});

const answerSchema = z.looseObject({
  accounts: z.union([z.array(entrySchema), z.record(z.string(), mapEntrySchema)]),
});

function failure(message: string, kind: RoutingFailure, cause?: unknown): AppServerError {
  return new AppServerError("routing_failed", message, {
    cause: cause === undefined ? { kind } : { kind, cause },
  });
}

/** The failure kind of an error thrown by {@link discoverWorkspaceRouting}. */
export function routingFailureKind(error: unknown): RoutingFailure | undefined {
  if (!AppServerError.is(error) || error.code !== "routing_failed") return undefined;
  const cause = error.cause as { kind?: RoutingFailure } | undefined;
  return cause?.kind;
}

/** Parses an https origin as upstream's `parse_backend_url` does (texts are upstream's). */
function backendUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw failure("invalid workspace backend URL", "answer", cause);
  }
  if (
    url.protocol !== "https:" ||
    url.hostname === "" ||
    url.username !== "" ||
    url.password !== "" ||
    value.trim() !== value
  ) {
    throw failure("workspace backend must use an HTTPS origin without credentials", "answer");
  }
  return url;
}

function resolve(entry: Entry, accountId: string, chatgptBaseUrl: string): WorkspaceRouting {
  const backend = entry.workspace_backend_origin;
  if (backend === undefined || backend === null) {
    throw failure("workspace routing discovery missing backend origin", "answer");
  }
  const override = entry.account_routing_override;
  if (override !== "NO_CONSTRAINT" && override !== "us" && override !== "us_cr") {
    throw failure("workspace routing discovery has invalid account routing override", "answer");
  }
  let origin: string;
  if (backend === "NO_CONSTRAINT") {
    origin = backendUrl(chatgptBaseUrl).origin;
  } else {
    const url = backendUrl(backend);
    if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
      throw failure("workspace routing discovery must return an origin", "answer");
    }
    origin = url.origin;
  }
  return {
    chatgptAccountId: accountId,
    backendOrigin: origin,
    accountRoutingOverride: override,
    workspaceName: entry.name ?? null,
  };
}

/** Input of {@link discoverWorkspaceRouting}. */
export interface DiscoveryInput {
  readonly http: HttpClient;
  readonly chatgptBaseUrl: string;
  /** `authorization` (+ `chatgpt-account-id`) of the current ChatGPT auth. */
  readonly headers: Readonly<Record<string, string>>;
  readonly accountId: string;
  readonly userAgent: string;
  readonly signal?: AbortSignal;
}

/**
 * 0.169's workspace routing discovery: `GET <chatgpt_base_url>/wham/accounts/check`, the entry of
 * the selected account, its https `workspace_backend_origin` and `account_routing_override`.
 *
 * @throws {AppServerError} `routing_failed` with upstream's texts (`workspace routing discovery
 *   failed`, `selected workspace missing from routing discovery`, `workspace routing discovery
 *   missing backend origin`, …).
 */
export async function discoverWorkspaceRouting(input: DiscoveryInput): Promise<WorkspaceRouting> {
  if (input.accountId === "") {
    throw failure("workspace routing requires a ChatGPT account id", "answer");
  }
  let status: number;
  let body: unknown;
  try {
    const res = await input.http.requestJson({
      method: "GET",
      url: chatgptBackendUrl(input.chatgptBaseUrl, "accounts/check"),
      headers: { ...input.headers, "user-agent": input.userAgent },
      timeoutMs: 15_000,
      ...(input.signal === undefined ? {} : { signal: input.signal }),
    });
    status = res.status;
    body = res.body;
  } catch (cause) {
    throw failure("workspace routing discovery failed", "fetch", cause);
  }
  if (status === 401) throw failure("workspace routing discovery unauthorized (401)", "fetch");
  if (status < 200 || status >= 300) throw failure("workspace routing discovery failed", "fetch");
  const parsed = answerSchema.safeParse(body);
  if (!parsed.success) throw failure("workspace routing discovery failed", "fetch");
  const entries: Entry[] = Array.isArray(parsed.data.accounts)
    ? parsed.data.accounts
    : Object.values(parsed.data.accounts).map((envelope) => ({
        id: envelope.account.account_id,
        name: envelope.account.name ?? null,
      }));
  const matching = entries.filter((entry) => entry.id === input.accountId);
  const entry = matching[0];
  if (entry === undefined) {
    throw failure("selected workspace missing from routing discovery", "answer");
  }
  if (matching.length > 1) throw failure("duplicate workspace in routing discovery", "answer");
  return resolve(entry, input.accountId, input.chatgptBaseUrl);
}
