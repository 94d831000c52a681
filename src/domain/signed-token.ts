/**
 * Signed, short-lived tokens for privacy actions: the confirm button of an
 * erasure card and the audit-log download link. Same construction as
 * export-token.ts (base64url JSON "." HMAC-SHA256), but the MAC also covers a
 * purpose, so a token for one thing is never accepted for another (nor as a
 * results export link). Payloads carry ids only; the server re-checks rights.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'erase' | 'audit';

const mac = (secret: string, purpose: TokenPurpose, body: string) => createHmac('sha256', secret).update(`${purpose}.${body}`).digest('base64url');

export function signToken<T extends { exp: number }>(purpose: TokenPurpose, payload: T, secret: string): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(secret, purpose, body)}`;
}

/** The payload if the signature is right for `purpose`, the shape is right and it has not expired; null otherwise. */
export function verifyToken<T extends { exp: number }>(purpose: TokenPurpose, token: unknown, secret: string, now: Date, isPayload: (v: unknown) => v is T): T | null {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  const expected = Buffer.from(mac(secret, purpose, parts[0]));
  const given = Buffer.from(parts[1]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!isPayload(payload) || typeof payload.exp !== 'number' || payload.exp <= now.getTime()) return null;
  return payload;
}
