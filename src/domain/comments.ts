/**
 * Free-text comments for leaders, pure: when a group may see them, and an
 * order that says nothing about who wrote what or when.
 */
import { createHash } from 'node:crypto';

export type CommentRow = { pulseId: string; text: string };

/** Comments are shown only for groups of at least this many respondents: the configured minimum, never below k. */
export function commentThreshold(configured: number, k: number): number {
  return Math.max(configured, k);
}

/**
 * The comment texts in an order fixed by a hash of pulse id and text only, so
 * it never follows answer time, role or any other order in the database.
 * Blank comments are dropped; identical texts are kept (each is a voice).
 *
 * @example shuffleComments([{ pulseId: 'p', text: 'Mer tid' }, { pulseId: 'p', text: 'Kurs' }]) // → texts in hash order
 */
export function shuffleComments(rows: readonly CommentRow[]): string[] {
  const key = (r: CommentRow) => createHash('sha256').update(`${r.pulseId}\u0000${r.text}`).digest('hex');
  return rows
    .map((r) => ({ text: r.text.trim(), key: key(r) }))
    .filter((r) => r.text.length > 0)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map((r) => r.text);
}
