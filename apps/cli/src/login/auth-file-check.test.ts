import { describe, expect, it } from "vitest";
import { checkAuthFile } from "./auth-file-check.js";

const check = (text: string) => checkAuthFile(Buffer.from(text, "utf8"));
const data = (line: number, column: number) =>
  `invalid credential JSON (Data at line ${line} column ${column})`;
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
const JWT = `${b64({ alg: "none" })}.${b64({ exp: 4102444800, "https://api.openai.com/auth": { chatgpt_account_id: "ws-1" } })}.sig`;

// Each row was observed on the real codex 0.169.0 (`codex login status`, see apps/cli/README.md).
describe("checkAuthFile: upstream 0.169's texts for bad files", () => {
  it.each([
    [
      "truncated string",
      '{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "sk-te',
      "EOF while parsing a string at line 3 column 26",
    ],
    ["empty file", "", "EOF while parsing a value at line 1 column 0"],
    ["a list where a value starts", "[1]", "expected value at line 1 column 2"],
    ["trailing comma", '{"a":1,}', "trailing comma at line 1 column 8"],
    ["missing colon", '{"a" 1}', "expected `:` at line 1 column 6"],
    ["trailing characters", '{"a":1} x', "trailing characters at line 1 column 9"],
    [
      "newline in a string",
      '{"OPENAI_API_KEY":"a\nb"}',
      "control character (\\u0000-\\u001F) found while parsing a string at line 2 column 0",
    ],
    ["truncated list", '{"a":[1,2', "EOF while parsing a list at line 1 column 9"],
    ["truncated literal", '{"a":tru', "EOF while parsing a value at line 1 column 8"],
    ["bare minus", '{"a":-}', "invalid number at line 1 column 7"],
    ["leading zero", '{"a":01}', "invalid number at line 1 column 7"],
    ["bad escape", '{"a":"\\x"}', "invalid escape at line 1 column 8"],
    ["short unicode escape", '{"a":"\\u12"}', "invalid escape at line 1 column 12"],
    ["number key", "{1:2}", "key must be a string at line 1 column 2"],
    ["missing comma", '{"a":1 "b":2}', "expected `,` or `}` at line 1 column 8"],
    ["unknown auth mode", '{"auth_mode":"bogus"}', data(1, 20)],
    ["number auth mode", '{"auth_mode":5}', "expected value at line 1 column 14"],
    ["number API key", '{"auth_mode":"apikey","OPENAI_API_KEY":5}', data(1, 40)],
    [
      "id token not a JWT",
      '{"auth_mode":"chatgpt","tokens":{"id_token":"x","access_token":"a","refresh_token":"r"}}',
      data(1, 47),
    ],
    [
      "id token with bad payload",
      '{"tokens":{"id_token":"a.b.c","access_token":"a","refresh_token":"r"}}',
      data(1, 29),
    ],
    [
      "number id token",
      '{"tokens":{"id_token":5,"access_token":"a","refresh_token":"r"}}',
      data(1, 23),
    ],
    [
      "missing refresh token",
      `{"tokens":{"id_token":"${JWT}","access_token":"a"}}`,
      data(1, 44 + JWT.length),
    ],
    ["empty last_refresh", '{"last_refresh":""}', data(1, 18)],
    ["number agent identity", '{"agent_identity":5}', data(1, 20)],
    ["bad agent identity record, last", '{"agent_identity":{"a":1}}', data(1, 26)],
    ["bad agent identity record, then more", '{"agent_identity":{"a":1},"x":2}', data(1, 25)],
    ["tokens as a string", '{"tokens":"x"}', data(1, 13)],
    ["tokens as a list", '{"tokens":[]}', data(1, 12)],
    ["duplicate key", '{"auth_mode":"apikey","auth_mode":"apikey"}', data(1, 33)],
    [
      "data error before a later syntax error",
      '{"OPENAI_API_KEY":"sk-1", "tokens":5, "x":}',
      data(1, 36),
    ],
    ["null", "null", data(1, 4)],
    ["a string", '"x"', data(1, 3)],
  ])("%s", (_name, text, message) => {
    expect(check(text)).toEqual({ ok: false, message });
  });

  it("never puts a value of the file in the message", () => {
    const r = check('{"OPENAI_API_KEY":["sk-very-secret-123456789"]}');
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain("secret");
  });
});

describe("checkAuthFile: files 0.169 accepts", () => {
  it.each([
    ["{}", { authMode: undefined, apiKey: null, agentIdentity: undefined }],
    [
      '{"OPENAI_API_KEY":"sk-1"}',
      { authMode: undefined, apiKey: "sk-1", agentIdentity: undefined },
    ],
    [
      '{"auth_mode":{"chatgpt":null}}',
      { authMode: "chatgpt", apiKey: null, agentIdentity: undefined },
    ],
    [
      '{"tokens":{"id_token":"a.e30.c","access_token":"a","refresh_token":"r"}}',
      { authMode: undefined, apiKey: null, agentIdentity: undefined },
    ],
    [
      '{"tokens":{"id_token":"a.W10.c","access_token":"a","refresh_token":"r","future":1}}',
      { authMode: undefined, apiKey: null, agentIdentity: undefined },
    ],
    [
      '{"last_refresh":"2026-04-20T08:15:02.123456789+02:00"}',
      { authMode: undefined, apiKey: null, agentIdentity: undefined },
    ],
    [
      '{"auth_mode":"agentIdentity","agent_identity":"aaa.bbb.ccc"}',
      { authMode: "agentIdentity", apiKey: null, agentIdentity: "jwt" },
    ],
    [
      '{"auth_mode":"agentIdentity","agent_identity":{"agent_runtime_id":"a","agent_private_key":"k","account_id":"w","chatgpt_user_id":"u","email":null,"plan_type":"galaxy","chatgpt_account_is_fedramp":false,"task_id":"t"}}',
      { authMode: "agentIdentity", apiKey: null, agentIdentity: { taskId: "t" } },
    ],
  ])("%s", (text, auth) => {
    expect(check(text)).toEqual({ ok: true, auth });
  });
});
