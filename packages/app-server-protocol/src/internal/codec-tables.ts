import {
  clientNotificationSchemas,
  clientRequestSchemas,
  type NotificationTable,
  type RequestTable,
  serverNotificationSchemas,
  serverRequestSchemas,
} from "../method-maps.js";
import type { Role } from "./codec-types.js";

/** The method tables one side sends and receives. */
export interface Tables {
  outRequests: RequestTable;
  inRequests: RequestTable;
  outNotifications: NotificationTable;
  inNotifications: NotificationTable;
}

/** The method tables of `role`. */
export function tablesFor(role: Role): Tables {
  return role === "client"
    ? {
        outRequests: clientRequestSchemas,
        inRequests: serverRequestSchemas,
        outNotifications: clientNotificationSchemas,
        inNotifications: serverNotificationSchemas,
      }
    : {
        outRequests: serverRequestSchemas,
        inRequests: clientRequestSchemas,
        outNotifications: serverNotificationSchemas,
        inNotifications: clientNotificationSchemas,
      };
}

/** The entry of `method` in `table`, if it has one of its own (never an inherited member). */
export function lookup<T extends object>(table: T, method: string): T[keyof T] | undefined {
  return Object.hasOwn(table, method) ? (table as Record<string, T[keyof T]>)[method] : undefined;
}
