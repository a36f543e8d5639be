/**
 * Whether `error` says the database connection was lost or cannot be made right now (a
 * restart, pg_terminate_backend, a failover) rather than that the query was wrong: the request
 * can be sent again once the pool has reconnected.
 */
export function isConnectionLoss(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? e.code : "";
  // SQLSTATE class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect now), 53300 (too many connections).
  if (/^08...$/.test(code) || /^57P0[123]$/.test(code) || code === "53300") return true;
  if (["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH"].includes(code)) return true;
  const message = typeof e?.message === "string" ? e.message : "";
  return /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Connection ended unexpectedly/i.test(message);
}
