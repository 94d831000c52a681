/** Counts for "Sendt 812 av 830" from outbox counts keyed `kind.status` (pulse cards only). */
export function progressSummary(counts: Record<string, number>): { total: number; sent: number; failed: number; skipped: number; done: boolean } {
  const get = (status: string) => counts[`pulse.${status}`] ?? 0;
  const sent = get('sent');
  const failed = get('failed');
  const skipped = get('skipped');
  const open = get('pending') + get('sending');
  return { total: sent + failed + skipped + open, sent, failed, skipped, done: open === 0 };
}
