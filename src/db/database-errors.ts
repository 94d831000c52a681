/**
 * Whether an error means "the database is unreachable right now" (as opposed
 * to a bug or bad data), so the user gets "try again shortly", not "error".
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'P1001', 'P1002', 'P1017', '57P01', '57P03', '08006', '08001', '08003'].includes(code)) return true;
    if (typeof message === 'string' && /ECONNREFUSED|Connection terminated|connect ETIMEDOUT|the database system is (starting up|shutting down)|Can't reach database server|timeout exceeded when trying to connect|PGlite is closed/i.test(message)) return true;
    if (name === 'DriverAdapterError' && typeof message === 'string' && /connect/i.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
