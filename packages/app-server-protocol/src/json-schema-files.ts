import { isJsonObject } from "@codex/wire";
import { z } from "zod";
import { AttestationGenerateParams, AttestationGenerateResponse } from "./attestation.js";
import {
  ChatgptAuthTokensRefreshParams,
  ChatgptAuthTokensRefreshResponse,
} from "./chatgpt-auth-tokens-refresh.js";
import {
  JSONRPCError,
  JSONRPCErrorError,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
  RequestId,
} from "./envelope.js";
import { schemaRegistry } from "./internal/schema-registry.js";
import {
  clientNotificationSchemas,
  clientRequestSchemas,
  type NotificationTable,
  type RequestTable,
  serverNotificationSchemas,
  serverRequestSchemas,
} from "./method-maps.js";

/** A JSON Schema document as plain JSON. */
export type JsonSchemaDocument = { [key: string]: unknown };

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";
/** File name of the bundle holding every definition. */
export const BUNDLE_FILE = "codex_app_server_protocol.schemas.json";
/** File name of the flat bundle of v2 definitions. */
export const V2_BUNDLE_FILE = "codex_app_server_protocol.v2.schemas.json";

function capitalize(method: string): string {
  return method.charAt(0).toUpperCase() + method.slice(1);
}

function requestUnion(table: RequestTable): z.ZodType {
  const variants = Object.entries(table).map(([method, spec]) => {
    const variant = z.object({ id: RequestId, method: z.literal(method), params: spec.params });
    schemaRegistry.add(variant, { title: `${capitalize(method)}Request` });
    return variant;
  });
  return z.union(variants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

function notificationUnion(table: NotificationTable): z.ZodType {
  const variants = Object.entries(table).map(([method, spec]) => {
    const variant = z.object({ method: z.literal(method), params: spec.params });
    schemaRegistry.add(variant, { title: `${capitalize(method)}Notification` });
    return variant;
  });
  return variants.length === 1
    ? variants[0]!
    : z.union(variants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

/** Every schema file: path relative to `schema/` → zod schema. Built once. */
let layout: ReadonlyMap<string, z.ZodType> | undefined;

function schemaLayout(): ReadonlyMap<string, z.ZodType> {
  if (layout !== undefined) return layout;
  const files = new Map<string, z.ZodType>([
    ["RequestId.json", RequestId],
    ["JSONRPCMessage.json", JSONRPCMessage],
    ["JSONRPCRequest.json", JSONRPCRequest],
    ["JSONRPCNotification.json", JSONRPCNotification],
    ["JSONRPCResponse.json", JSONRPCResponse],
    ["JSONRPCError.json", JSONRPCError],
    ["JSONRPCErrorError.json", JSONRPCErrorError],
    ["ClientRequest.json", requestUnion(clientRequestSchemas)],
    ["ServerRequest.json", requestUnion(serverRequestSchemas)],
    ["ClientNotification.json", notificationUnion(clientNotificationSchemas)],
    ["ServerNotification.json", notificationUnion(serverNotificationSchemas)],
    ["ChatgptAuthTokensRefreshParams.json", ChatgptAuthTokensRefreshParams],
    ["ChatgptAuthTokensRefreshResponse.json", ChatgptAuthTokensRefreshResponse],
    ["AttestationGenerateParams.json", AttestationGenerateParams],
    ["AttestationGenerateResponse.json", AttestationGenerateResponse],
    ["v1/InitializeParams.json", clientRequestSchemas.initialize.params],
    ["v1/InitializeResponse.json", clientRequestSchemas.initialize.result],
  ]);
  for (const [method, spec] of Object.entries(clientRequestSchemas)) {
    if (method === "initialize") continue;
    const dir = method === "getAuthStatus" ? "v1" : "v2";
    if (spec.names.params !== null) files.set(`${dir}/${spec.names.params}.json`, spec.params);
    files.set(`${dir}/${spec.names.result}.json`, spec.result);
  }
  for (const spec of Object.values(serverNotificationSchemas)) {
    files.set(`v2/${spec.name}.json`, spec.params);
  }
  layout = files;
  return files;
}

function titleOf(path: string): string {
  return path.replace(/^.*\//, "").replace(/\.json$/, "");
}

/** Converts one schema the way every file is converted: draft-07, wire (input) shapes, named definitions. */
export function toDraft07(schema: z.ZodType, title: string): JsonSchemaDocument {
  const raw = z.toJSONSchema(schema, {
    target: "draft-07",
    io: "input",
    metadata: schemaRegistry,
    unrepresentable: "any",
  }) as JsonSchemaDocument;
  let doc: JsonSchemaDocument = { ...raw };
  const definitions = { ...((doc.definitions as Record<string, JsonSchemaDocument>) ?? {}) };
  const ref = doc.$ref;
  if (typeof ref === "string" && ref.startsWith("#/definitions/")) {
    // The root is itself a named definition: inline it, as upstream files do.
    const name = ref.slice("#/definitions/".length);
    const root = definitions[name];
    if (root !== undefined) {
      delete doc.$ref;
      doc = { ...doc, ...root };
      delete definitions[name];
      if (JSON.stringify({ doc, definitions }).includes(`"#/definitions/${name}"`)) {
        definitions[name] = root;
      }
    }
  }
  if (Object.keys(definitions).length > 0) doc.definitions = definitions;
  else delete doc.definitions;
  doc.$schema = DRAFT_07;
  doc.title = title;
  return doc;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
    return out;
  }
  return value;
}

/** Serialises a schema like upstream: keys sorted, 2-space indent, no trailing newline. */
export function formatSchema(doc: unknown): string {
  return JSON.stringify(sortKeys(doc), null, 2);
}

function addDefinition(into: Record<string, unknown>, name: string, schema: unknown): void {
  const existing = into[name];
  if (existing === undefined) {
    into[name] = schema;
    return;
  }
  const strip = (value: unknown) => {
    const { title: _title, $schema: _schema, ...rest } = value as Record<string, unknown>;
    return formatSchema(rest);
  };
  if (strip(existing) !== strip(schema)) {
    throw new Error(`schema definition ${name} differs between files`);
  }
}

function bundle(docs: ReadonlyMap<string, JsonSchemaDocument>, title: string): JsonSchemaDocument {
  const definitions: Record<string, unknown> = {};
  for (const [path, doc] of docs) {
    const { $schema: _schema, definitions: inner, ...root } = doc;
    for (const [name, schema] of Object.entries((inner as Record<string, unknown>) ?? {})) {
      addDefinition(definitions, name, schema);
    }
    addDefinition(definitions, titleOf(path), root);
  }
  return { $schema: DRAFT_07, definitions, title, type: "object" };
}

/**
 * Generates every JSON Schema file in upstream's layout (envelope files at the top, `v1/`, `v2/`,
 * and two bundles): relative path → file text. `pnpm write-schema` writes exactly these into
 * `schema/`; a test fails when the committed copy is stale.
 *
 * @example
 * const files = generateJsonSchemaFiles();
 * JSON.parse(files.get("v2/LoginAccountParams.json")!).title; // "LoginAccountParams"
 */
export function generateJsonSchemaFiles(): Map<string, string> {
  const docs = new Map<string, JsonSchemaDocument>();
  for (const [path, schema] of schemaLayout()) docs.set(path, toDraft07(schema, titleOf(path)));
  const v2 = new Map([...docs].filter(([path]) => path.startsWith("v2/")));
  const out = new Map<string, string>();
  for (const [path, doc] of docs) out.set(path, formatSchema(doc));
  out.set(BUNDLE_FILE, formatSchema(bundle(docs, "CodexAppServerProtocol")));
  out.set(V2_BUNDLE_FILE, formatSchema(bundle(v2, "CodexAppServerProtocolV2")));
  return out;
}
