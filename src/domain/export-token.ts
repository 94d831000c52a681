/**
 * Signed, short-lived download links for the results export.
 *
 * token = base64url(JSON payload) "." base64url(HMAC-SHA256(secret, payload part)).
 * The payload names who asked (tenant and person ids) and which pulses; it is
 * readable by whoever holds the link, so it carries ids only, never names or
 * results. The server re-checks the person's access when the link is used.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const EXPORT_BREAKDOWNS = ['staffRole', 'schoolLevel', 'none'] as const;
export type ExportTokenPayload = {
  tenantId: string;
  personId: string;
  pulseIds: string[];
  /** The one breakdown next to the total. */
  breakdown: (typeof EXPORT_BREAKDOWNS)[number];
  /** Expiry, ms since epoch. */
  exp: number;
};
export type VerifyResult = { ok: true; payload: ExportTokenPayload } | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

export const DEFAULT_EXPORT_LINK_MS = 10 * 60 * 1000;

const mac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('base64url');

/** @example signExportToken({ tenantId, personId, pulseIds: [id], breakdown: 'staffRole', exp: Date.now() + DEFAULT_EXPORT_LINK_MS }, secret) */
export function signExportToken(payload: ExportTokenPayload, secret: string): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

function isPayload(v: unknown): v is ExportTokenPayload {
  const p = v as ExportTokenPayload;
  return (
    !!p &&
    typeof p === 'object' &&
    typeof p.tenantId === 'string' &&
    typeof p.personId === 'string' &&
    Array.isArray(p.pulseIds) &&
    p.pulseIds.length > 0 &&
    p.pulseIds.every((id) => typeof id === 'string') &&
    (EXPORT_BREAKDOWNS as readonly string[]).includes(p.breakdown) &&
    typeof p.exp === 'number' &&
    Number.isFinite(p.exp)
  );
}

/** Checks the signature (in constant time) before reading the payload, then the expiry against `now`. */
export function verifyExportToken(token: string, secret: string, now: Date): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' };
  const [body, sig] = parts as [string, string];
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'signature' };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isPayload(payload)) return { ok: false, reason: 'malformed' };
  if (payload.exp <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, payload };
}
