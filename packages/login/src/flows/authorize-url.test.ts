import { describe, expect, it } from "vitest";
import { buildAuthorizeUrl } from "./authorize-url.js";

describe("buildAuthorizeUrl", () => {
  it("lists upstream's parameters in order, percent-encoded with %20", () => {
    const url = buildAuthorizeUrl({
      issuer: "https://auth.openai.com/",
      clientId: "app_X",
      redirectUri: "http://localhost:1455/auth/callback",
      codeChallenge: "chal",
      state: "st",
    });
    expect(url).toBe(
      "https://auth.openai.com/oauth/authorize?response_type=code&client_id=app_X" +
        "&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback" +
        "&scope=openid%20profile%20email%20offline_access%20api.connectors.read%20api.connectors.invoke" +
        "&code_challenge=chal&code_challenge_method=S256&id_token_add_organizations=true" +
        "&codex_cli_simplified_flow=true&state=st&originator=codex_cli_rs",
    );
  });

  it("appends allowed_workspace_id last and encodes reserved characters", () => {
    const url = buildAuthorizeUrl({
      issuer: "http://127.0.0.1:9",
      clientId: "c",
      redirectUri: "r",
      codeChallenge: "c",
      state: "s",
      originator: "Codex Desktop (x)*",
      forcedWorkspaceIds: ["ws-1", "", "ws 2"],
    });
    expect(
      url.endsWith("&originator=Codex%20Desktop%20%28x%29%2A&allowed_workspace_id=ws-1%2Cws%202"),
    ).toBe(true);
  });
});
