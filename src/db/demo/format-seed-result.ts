import type { StaffRole } from '../../domain/profile.ts';
import { DEMO_MUNICIPALITY, ROLE_ORDER } from './roster.ts';
import type { SeedResult } from './write-demo-data.ts';

const ROLE_LABEL: Record<StaffRole, string> = {
  teacher: 'lærer',
  leader: 'leder',
  child_youth_worker: 'barne- og ungdomsarbeider',
  school_assistant: 'assistent/miljøarbeider',
  unqualified_teacher: 'lærer uten godkjenning',
  sfo_leader: 'SFO-leder',
  special_support: 'miljøterapeut o.l.',
  other: 'annet (koordinator)',
};

const pct = (n: number) => `${Math.round(n * 100)} %`;

/** A short report for the terminal (Norwegian, like the bot). */
export function formatSeedResult(r: SeedResult): string {
  if (r.kind === 'exists') {
    return [
      `Demodata finnes allerede for tenant ${r.teamsTenantId} (${r.existing.units} enheter, ${r.existing.people} personer, ${r.existing.pulses} pulser).`,
      'Ingenting er endret (nothing changed). Kjør med --reset for å slette og lage demodataene på nytt.',
    ].join('\n');
  }
  const s = r.summary;
  const lines: string[] = [];
  if (r.tenantCreated) lines.push(`Opprettet tenant (created tenant) ${r.teamsTenantId}`);
  if (r.removed) lines.push(`Slettet tidligere demodata (reset): ${r.removed.units} enheter, ${r.removed.people} personer, ${r.removed.pulses} pulser.`);
  lines.push(`Demodata for tenant ${r.teamsTenantId}: ${DEMO_MUNICIPALITY} med ${s.schools.length} skoler`);
  for (const school of s.schools) {
    const roles = ROLE_ORDER.filter((role) => school.byRole[role]).map((role) => `${ROLE_LABEL[role]} ${school.byRole[role]}`);
    lines.push(`  ${school.name.padEnd(22)} ${String(school.people).padStart(3)} ansatte: ${roles.join(', ')}`);
  }
  const byRole = ROLE_ORDER.filter((role) => s.peopleByRole[role]).map((role) => `${ROLE_LABEL[role]} ${s.peopleByRole[role]}`);
  lines.push(`Personer: ${s.people} (${byRole.join(', ')})`);
  lines.push(`Roller: ${s.leaders} rektorer med lederrolle på sin skole, ${s.coordinators} koordinator på ${DEMO_MUNICIPALITY}`);
  lines.push(
    `Pulser: ${s.pulses} lukket og publisert (per skole: læringsmiljø ×2, hindringer, elevgrupper); ` +
      `${s.recipients} mottakere, ${s.reminders} påminnelser, ${s.answered} svarte (${pct(s.answered / s.recipients)}); ${s.answers} svarrader, ${s.comments} kommentarer`,
  );
  lines.push(`Enige (4–5) i at økonomi/fri med lønn/vikar hindrer: ${pct(s.facilitationAgreeShare)}`);
  lines.push(`Små grupper (1–4 personer, skjules av k-regelen): ${s.smallGroups.length}`);
  lines.push(`Tid: ${(r.ms / 1000).toFixed(1)} s`);
  return lines.join('\n');
}
