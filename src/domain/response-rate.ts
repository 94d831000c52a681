/** Whole percent, never above 100; 0 recipients → 0. */
export function responseRate(answered: number, recipients: number): number {
  if (recipients <= 0) return 0;
  return Math.min(100, Math.round((answered / recipients) * 100));
}
