import type { AppRole } from './commands.ts';

const ROLE_WORDS: Record<string, AppRole> = {
  leder: 'leader', leiar: 'leader', leader: 'leader', rektor: 'leader',
  koordinator: 'coordinator', coordinator: 'coordinator',
  admin: 'admin', administrator: 'admin',
  ansatt: 'staff', tilsett: 'staff', staff: 'staff',
};

export type RoleCommand = { revoke: boolean; who: { self: true } | { email: string }; role: AppRole; unitName: string | null };

/**
 * "rolle kari@skole.no leder Nordby skole", "rolle meg koordinator",
 * "fjern rolle per@skole.no admin" (also English: "role … / remove role …").
 * Returns null when the text is a role command without valid arguments.
 */
export function parseRoleCommand(text: string): RoleCommand | null {
  const m = text.trim().match(/^(fjern\s+rolle|remove\s+role|rolle|role)\s+(\S+)\s+(\S+)\s*(.*)$/i);
  if (!m) return null;
  const revoke = /^(fjern|remove)/i.test(m[1]!);
  const whoRaw = m[2]!.toLowerCase();
  const role = ROLE_WORDS[m[3]!.toLowerCase()];
  if (!role) return null;
  let who: RoleCommand['who'];
  if (['meg', 'me', 'eg'].includes(whoRaw)) who = { self: true };
  else if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(whoRaw)) who = { email: whoRaw };
  else return null;
  const unitName = m[4]!.trim() || null;
  return { revoke, who, role, unitName };
}

export const ROLE_COMMAND_PATTERN = /^\s*(fjern\s+rolle|remove\s+role|rolle|role)\b/i;
