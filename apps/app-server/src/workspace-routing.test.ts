import { createHttpClient } from "@codex/http";
import { describe, expect, it } from "vitest";
import { discoverWorkspaceRouting, routingFailureKind } from "./workspace-routing.js";

function http(status: number, body: unknown, seen: Request[] = []) {
  return createHttpClient({
    fetch: async (input, init) => {
      seen.push(new Request(input, init));
      return typeof body === "string"
        ? new Response(body, { status })
        : Response.json(body, { status });
    },
  });
}

function discover(status: number, body: unknown, base = "https://chatgpt.com/backend-api/") {
  return discoverWorkspaceRouting({
    http: http(status, body),
    chatgptBaseUrl: base,
    headers: { authorization: "Bearer t", "chatgpt-account-id": "acct-1" },
    accountId: "acct-1",
    userAgent: "ua",
  });
}

const entry = (extra: Record<string, unknown>) => ({ id: "acct-1", name: "Bars", ...extra });

describe("discoverWorkspaceRouting", () => {
  it("GETs /wham/accounts/check with the auth headers and resolves the selected workspace", async () => {
    const seen: Request[] = [];
    const routing = await discoverWorkspaceRouting({
      http: http(
        200,
        {
          accounts: [
            entry({
              workspace_backend_origin: "https://eu.example.com",
              account_routing_override: "us",
            }),
          ],
        },
        seen,
      ),
      chatgptBaseUrl: "http://127.0.0.1:9/backend-api",
      headers: { authorization: "Bearer t", "chatgpt-account-id": "acct-1" },
      accountId: "acct-1",
      userAgent: "ua/1",
    });
    expect(routing).toEqual({
      chatgptAccountId: "acct-1",
      backendOrigin: "https://eu.example.com",
      accountRoutingOverride: "us",
      workspaceName: "Bars",
    });
    expect(seen[0]?.url).toBe("http://127.0.0.1:9/backend-api/wham/accounts/check");
    expect(seen[0]?.headers.get("authorization")).toBe("Bearer t");
    expect(seen[0]?.headers.get("chatgpt-account-id")).toBe("acct-1");
    expect(seen[0]?.headers.get("user-agent")).toBe("ua/1");
  });

  it("NO_CONSTRAINT takes the origin of an https chatgpt_base_url", async () => {
    const routing = await discover(200, {
      accounts: [
        {
          id: "acct-1",
          workspace_backend_origin: "NO_CONSTRAINT",
          account_routing_override: "NO_CONSTRAINT",
        },
      ],
    });
    expect(routing).toMatchObject({
      backendOrigin: "https://chatgpt.com",
      accountRoutingOverride: "NO_CONSTRAINT",
      workspaceName: null,
    });
  });

  it("like 0.169, finds an account of the map form but never its backend origin", async () => {
    const failure = await discover(200, {
      accounts: {
        "acct-1": {
          account: {
            account_id: "acct-1",
            workspace_backend_origin: "https://a.example",
            account_routing_override: "us",
          },
        },
      },
    }).catch((e: unknown) => e);
    expect(failure).toMatchObject({
      message: "workspace routing discovery missing backend origin",
    });
    expect(
      await discover(200, { accounts: { x: { account: { account_id: "other" } } } }).catch(
        (e: unknown) => (e as Error).message,
      ),
    ).toBe("selected workspace missing from routing discovery");
  });

  it.each([
    [500, {}, "workspace routing discovery failed", "fetch"],
    [404, "not json", "workspace routing discovery failed", "fetch"],
    [401, {}, "workspace routing discovery unauthorized (401)", "fetch"],
    [200, { nope: 1 }, "workspace routing discovery failed", "fetch"],
    [200, { accounts: [{ account_id: "acct-1" }] }, "workspace routing discovery failed", "fetch"],
    [200, { accounts: [] }, "selected workspace missing from routing discovery", "answer"],
    [
      200,
      {
        accounts: [
          entry({ workspace_backend_origin: "https://a.example", account_routing_override: "us" }),
          entry({}),
        ],
      },
      "duplicate workspace in routing discovery",
      "answer",
    ],
    [
      200,
      { accounts: [entry({})] },
      "workspace routing discovery missing backend origin",
      "answer",
    ],
    [
      200,
      {
        accounts: [
          entry({ workspace_backend_origin: "https://a.example", account_routing_override: "eu" }),
        ],
      },
      "workspace routing discovery has invalid account routing override",
      "answer",
    ],
    [
      200,
      {
        accounts: [
          entry({ workspace_backend_origin: "http://a.example", account_routing_override: "us" }),
        ],
      },
      "workspace backend must use an HTTPS origin without credentials",
      "answer",
    ],
    [
      200,
      {
        accounts: [
          entry({
            workspace_backend_origin: "https://a.example/x",
            account_routing_override: "us",
          }),
        ],
      },
      "workspace routing discovery must return an origin",
      "answer",
    ],
    [
      200,
      {
        accounts: [
          entry({ workspace_backend_origin: "not a url", account_routing_override: "us" }),
        ],
      },
      "invalid workspace backend URL",
      "answer",
    ],
  ])("status %i %j fails with upstream's text", async (status, body, message, kind) => {
    const failure = await discover(status, body).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: "routing_failed", message });
    expect(routingFailureKind(failure)).toBe(kind);
  });

  it("a NO_CONSTRAINT backend on a plain-http chatgpt_base_url is refused like upstream", async () => {
    const failure = await discover(
      200,
      {
        accounts: [
          entry({
            workspace_backend_origin: "NO_CONSTRAINT",
            account_routing_override: "NO_CONSTRAINT",
          }),
        ],
      },
      "http://127.0.0.1:9/backend-api",
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({
      message: "workspace backend must use an HTTPS origin without credentials",
    });
    expect(routingFailureKind(new Error("x"))).toBeUndefined();
  });
});
