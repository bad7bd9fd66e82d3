import { z } from "zod";
import { named } from "./internal/schema-registry.js";

/** `clientInfo`: who is connecting. `name` becomes the originator and prefixes the user agent. */
export const ClientInfo = named(
  "ClientInfo",
  z.object({
    name: z.string(),
    title: z.string().nullable().optional(),
    version: z.string(),
  }),
);
/** `clientInfo` of `initialize`. */
export type ClientInfo = z.infer<typeof ClientInfo>;

/** Capabilities a client declares once per connection; omitted or `null` means all false. */
export const InitializeCapabilities = named(
  "InitializeCapabilities",
  z.object({
    experimentalApi: z.boolean().optional(),
    requestAttestation: z.boolean().optional(),
    optOutNotificationMethods: z.array(z.string()).nullable().optional(),
  }),
  "Client-declared capabilities negotiated during initialize.",
);
/** Capabilities of `initialize`. */
export type InitializeCapabilities = z.infer<typeof InitializeCapabilities>;

/**
 * Params of `initialize`.
 *
 * @example
 * InitializeParams.parse({ clientInfo: { name: "acme", version: "1.0.0" }, capabilities: { requestAttestation: true } });
 */
export const InitializeParams = named(
  "InitializeParams",
  z.object({
    clientInfo: ClientInfo,
    capabilities: InitializeCapabilities.nullable().optional(),
  }),
);
/** Params of `initialize`. */
export type InitializeParams = z.infer<typeof InitializeParams>;

/** Result of `initialize`. `codexHome` is absent in the oldest upstream schema, so it is optional. */
export const InitializeResponse = named(
  "InitializeResponse",
  z.object({
    userAgent: z.string(),
    platformFamily: z.string(),
    platformOs: z.string(),
    codexHome: z.string().optional(),
  }),
);
/** Result of `initialize`. */
export type InitializeResponse = z.infer<typeof InitializeResponse>;

/** Params of the param-less methods and notifications (`initialized`, `account/logout`, ...): omitted or `null`. */
export const NoParams = z.null().optional();
/** Omitted or `null` params. */
export type NoParams = z.infer<typeof NoParams>;

/** Params of the param-less requests upstream also decodes from `{}` (`account/logout`, `account/rateLimits/read`): omitted, `null` or an object. */
export const EmptyParams = z.object({}).nullable().optional();
