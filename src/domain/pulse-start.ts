import { STAFF_ROLES, type StaffRole } from './profile.ts';

/** Answer windows offered when starting a pulse. SNELD ran its survey over about two weeks (001_…). */
export const ANSWER_WINDOWS = { '2h': 2 * 3600_000, '1d': 24 * 3600_000, '3d': 3 * 24 * 3600_000, '1w': 7 * 24 * 3600_000, '2w': 14 * 24 * 3600_000 } as const;
export type AnswerWindow = keyof typeof ANSWER_WINDOWS;
export const DEFAULT_WINDOW: AnswerWindow = '1w';

export function closesAtFor(window: AnswerWindow, now: Date): Date {
  return new Date(now.getTime() + ANSWER_WINDOWS[window]);
}

export type StartRequest = { templateId: string; unitId: string; roleFilter: StaffRole[]; window: AnswerWindow };

/** Validates the start form (all values arrive as strings from the card). */
export function parseStartForm(input: Record<string, unknown>, known: { templateIds: readonly string[]; unitIds: readonly string[] }): StartRequest | null {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const templateId = str(input.templateId);
  const unitId = str(input.unitId);
  const window = str(input.window) || DEFAULT_WINDOW;
  const roles = str(input.roles).split(',').map((s) => s.trim()).filter(Boolean);
  if (!known.templateIds.includes(templateId) || !known.unitIds.includes(unitId)) return null;
  if (!(window in ANSWER_WINDOWS)) return null;
  if (!roles.every((r) => (STAFF_ROLES as readonly string[]).includes(r))) return null;
  return { templateId, unitId, roleFilter: [...new Set(roles)] as StaffRole[], window: window as AnswerWindow };
}

/**
 * "start puls", "start puls laringsmiljo-1" or "start pulse hindringer": the
 * optional argument names a template by id or by the start of its title.
 */
export function parseStartCommand(text: string): { templateQuery: string | null } | null {
  const m = text.trim().match(/^start\s+(?:puls|pulse)\b\s*(.*)$/i);
  if (!m) return null;
  const q = m[1]!.trim();
  return { templateQuery: q || null };
}

export function findTemplate<T extends { id: string; titles: string[] }>(templates: readonly T[], query: string): T | null {
  const q = query.toLowerCase();
  return templates.find((t) => t.id === q) ?? templates.find((t) => t.titles.some((title) => title.toLowerCase().startsWith(q))) ?? null;
}

/**
 * Who gets the pulse: everyone in the unit, or only the chosen staff roles.
 * People whose role is unknown are left out of a role-filtered pulse (it
 * would ask them about work they may not do) and counted.
 */
export function selectRecipients<P extends { staffRole: StaffRole | null }>(people: readonly P[], roleFilter: readonly StaffRole[]): { included: P[]; excluded: P[] } {
  if (roleFilter.length === 0) return { included: [...people], excluded: [] };
  const included = people.filter((p) => p.staffRole !== null && roleFilter.includes(p.staffRole));
  return { included, excluded: people.filter((p) => !included.includes(p)) };
}
