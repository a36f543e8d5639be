import { ApiError } from "@baton/core";

/**
 * The server answered that the thing asked for does not exist. A 404 for a route the server
 * does not have (an older server) is not that: it stays an error of its own.
 */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.code !== "RouteNotFound";
}
