import { z } from "zod";

/** Metadata kept for each named protocol schema (used only by the JSON Schema writer). */
export interface SchemaMeta {
  /** Definition name, as upstream names it (`PlanType`, `LoginAccountParams`, ...). */
  id?: string;
  /** `title` emitted in JSON Schema (upstream titles tagged variants, e.g. `ApiKeyAccount`). */
  title?: string;
  /** `description` emitted in JSON Schema. */
  description?: string;
}

/**
 * The package-local registry. Using a local registry (not zod's global one) keeps imports free of
 * global side effects and keeps other zod users' schemas out of our JSON Schema.
 */
export const schemaRegistry = z.registry<SchemaMeta>();

/** Registers `schema` under a definition name and returns it unchanged. */
export function named<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  schemaRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

/** Gives `schema` a JSON Schema title without extracting it into a definition. */
export function titled<T extends z.ZodType>(title: string, schema: T): T {
  schemaRegistry.add(schema, { title });
  return schema;
}
