import type { AppRole } from './commands.ts';
import { KIND_LABELS, STAFF_ROLE_LABELS, unitKey, type RosterParseResult } from './roster-csv.ts';
import type { RosterPlan } from './roster-plan.ts';

/** Norwegian display names of the app roles, for the report. */
export const APP_ROLE_LABELS: Readonly<Record<AppRole, string>> = { staff: 'ansatt', leader: 'leder', coordinator: 'koordinator', admin: 'admin' };

const MAX_LISTED = 25;

function listed<T>(items: readonly T[], show: (t: T) => string, out: string[]): void {
  for (const item of items.slice(0, MAX_LISTED)) out.push(`  ${show(item)}`);
  if (items.length > MAX_LISTED) out.push(`  … og ${items.length - MAX_LISTED} til (and ${items.length - MAX_LISTED} more)`);
}

/**
 * The human-readable report (Norwegian, English in parentheses). Lists
 * errors in full; long lists of people are shortened.
 */
export function formatRosterReport(parsed: RosterParseResult, plan: RosterPlan | null): string {
  const out: string[] = [];
  const errors = [...parsed.errors, ...(plan?.errors ?? [])].sort((a, b) => a.line - b.line);
  out.push(`Gyldige rader (valid rows): ${parsed.rows.length}`);
  if (parsed.ignoredColumns.length > 0) out.push(`Ignorerte kolonner (ignored columns): ${parsed.ignoredColumns.join(', ')}`);
  out.push(`Feil (errors): ${errors.length}`);
  for (const e of errors) out.push(`  ${e.message}`);
  if (!plan || parsed.rows.length === 0) return out.join('\n');

  const unitNames = new Map<string, string>();
  for (const r of parsed.rows) {
    if (r.county) unitNames.set(unitKey('county', r.county), r.county);
    if (r.municipality) unitNames.set(unitKey('municipality', r.municipality), r.municipality);
    unitNames.set(unitKey('school', r.school), r.school);
  }
  for (const u of plan.units.create) unitNames.set(u.key, u.name);
  for (const u of plan.units.update) unitNames.set(u.key, u.name);
  const nameOf = (key: string) => unitNames.get(key) ?? key.slice(key.indexOf(':') + 1);

  out.push('');
  out.push(`Enheter som opprettes (units to create): ${plan.counts.unitsCreated}`);
  listed(plan.units.create, (u) => {
    const level = u.schoolLevel ? ` [${u.schoolLevel}]` : '';
    return `+ ${KIND_LABELS[u.kind]} «${u.name}»${level}${u.parentKey ? ` under «${nameOf(u.parentKey)}»` : ''}`;
  }, out);
  out.push(`Enheter som endres (units to update): ${plan.counts.unitsUpdated}`);
  listed(plan.units.update, (u) => {
    const what = [
      u.set.name ? 'navn' : null,
      u.set.externalId ? 'kobles til importen (linked)' : null,
      u.set.schoolLevel ? `skolenivå → ${u.set.schoolLevel}` : null,
      u.set.parent ? `flyttes under «${nameOf(u.set.parent.key)}» (moved)` : null,
    ].filter(Boolean);
    return `~ ${KIND_LABELS[u.kind]} «${u.name}»: ${what.join(', ')}`;
  }, out);
  out.push(`Personer som opprettes (people to create): ${plan.counts.peopleCreated}`);
  listed(plan.people.create, (p) => `+ ${p.name} <${p.email}>${p.staffRole ? `, ${STAFF_ROLE_LABELS[p.staffRole]}` : ''}`, out);
  out.push(`Personer som oppdateres (people to update): ${plan.counts.peopleUpdated}`);
  listed(plan.people.update, (p) => {
    const what = [
      p.set.name ? 'navn' : null,
      p.set.email ? 'e-post' : null,
      p.set.staffRole ? `stilling → ${STAFF_ROLE_LABELS[p.set.staffRole]}` : null,
      p.set.aadObjectId ? 'objekt-id' : null,
    ].filter(Boolean);
    return `~ ${p.name} <${p.email}>: ${what.join(', ')}`;
  }, out);
  out.push(`Personer uten endringer (people unchanged): ${plan.counts.peopleUnchanged}`);
  out.push(`Medlemskap som legges til (memberships to add): ${plan.counts.membershipsAdded}`);
  out.push(`Roller som legges til (roles to add): ${plan.counts.rolesAdded}`);
  listed(plan.roles, (r) => `+ ${APP_ROLE_LABELS[r.role]} (${r.role}): ${r.email} på «${nameOf(r.unitKey)}»`, out);
  if (plan.notes.length > 0) {
    out.push(`Merknader (notes): ${plan.notes.length}`);
    listed(plan.notes, (n) => n.message, out);
  }
  return out.join('\n');
}
