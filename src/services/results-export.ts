import type { Deps } from '../deps.ts';
import type { Actor } from './actor.ts';
import { latestRoundInScope, roundUnitName } from './results-scope.ts';
import { publicationOf } from './round-publication.ts';
import type { ClosedPulse } from '../db/results-repository.ts';
import { closedPulsesByIds } from '../db/export-repository.ts';
import { signExportToken, verifyExportToken, type ExportTokenPayload } from '../domain/export-token.ts';
import { canViewResults, RESULTS_VIEWER_ROLES } from '../domain/results-access.ts';
import { unitsInScope } from '../domain/unit-scope.ts';
import { resultsCsv, type CsvBreakdown, type CsvSection } from '../domain/results-csv.ts';
import type { MessageKey } from '../i18n/nb.ts';
import { translator } from '../i18n/translate.ts';

/**
 * The breakdown next to the total. One breakdown per file, never role and
 * level together: comparing two breakdowns of the same pulse could narrow
 * small groups down (README, "Results and anonymity").
 */
export type ExportBreakdown = ExportTokenPayload['breakdown'];

export type ExportLinkOutcome =
  | { kind: 'notAllowed' }
  | { kind: 'noResults' }
  | { kind: 'ok'; url: string; expiresAt: Date; pulseTitle: string; unitName: string; k: number; breakdown: ExportBreakdown };

const nbT = translator('nb');

/** CSV group names in bokmål (the file's language, like its header). */
function groupLabel(groupBy: CsvBreakdown, key: string): string {
  if (groupBy === 'all') return 'Alle ansatte';
  if (key === 'unknown') return groupBy === 'staffRole' ? nbT('results.unknownRole') : 'Uten oppgitt skolenivå';
  const msgKey = `${groupBy}.${key}` as MessageKey;
  try {
    return nbT(msgKey);
  } catch {
    return key;
  }
}

/**
 * The CSV of a round of pulses (same template): the total plus one
 * breakdown, from the same publication as the cards (round-publication.ts),
 * so a file and a card can't be subtracted from each other. `unitIds`: the
 * viewer's units, where the round before is looked for.
 */
export async function resultsCsvFor(deps: Pick<Deps, 'results'>, pulses: readonly ClosedPulse[], k: number, breakdown: ExportBreakdown, unitIds: readonly string[] = pulses.map((p) => p.unitId)): Promise<string> {
  const items = pulses[0]?.content.items ?? [];
  if (pulses.length === 0) return resultsCsv([{ groupBy: 'all', groups: [] }], items, { group: groupLabel }, k);
  const { publication } = await publicationOf(deps, pulses, k, unitIds);
  const sections: CsvSection[] = [{ groupBy: 'all', groups: publication.groups.all }];
  if (breakdown !== 'none') sections.push({ groupBy: breakdown, groups: publication.groups[breakdown] });
  return resultsCsv(sections, items, { group: groupLabel }, k);
}

/** A signed, short-lived link to the CSV of the latest round in the actor's units. */
export async function exportLinkFor(deps: Deps, actor: Actor, breakdown: ExportBreakdown): Promise<ExportLinkOutcome> {
  const found = await latestRoundInScope(deps, actor);
  if (found.kind !== 'ok') return found;
  const { round, pulse } = found;
  const expiresAt = new Date(deps.clock().getTime() + deps.config.export.linkMs);
  const token = signExportToken({ tenantId: actor.tenant.id, personId: actor.person.id, pulseIds: round.map((p) => p.id), exp: expiresAt.getTime(), breakdown }, deps.config.export.signingSecret);
  const unitName = roundUnitName(found);
  return { kind: 'ok', url: `${deps.config.export.publicBaseUrl}/export/${token}`, expiresAt, pulseTitle: pulse.content.title[actor.lang], unitName, k: actor.tenant.minGroupSize, breakdown };
}

export type ExportFileOutcome = { kind: 'forbidden'; reason: string } | { kind: 'ok'; csv: string; filename: string };

const osloDate = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/**
 * The file behind a link: valid signature, not expired, and the person still
 * may see every pulse in it (same tenant, a leader/coordinator role over the
 * pulse's unit today). Audited as `results.exported`.
 */
export async function exportFileFor(deps: Deps, token: string): Promise<ExportFileOutcome> {
  const verified = verifyExportToken(token, deps.config.export.signingSecret, deps.clock());
  if (!verified.ok) return { kind: 'forbidden', reason: verified.reason };
  const { tenantId, personId, pulseIds, breakdown } = verified.payload;
  const tenant = await deps.directory.tenantById(tenantId);
  const person = tenant ? await deps.directory.findPerson(tenant.id, personId) : null;
  if (!tenant || !person) return { kind: 'forbidden', reason: 'person' };
  const [roles, units, pulses] = await Promise.all([deps.directory.rolesOf(person.id), deps.directory.units(tenant.id), closedPulsesByIds(deps.db.sql, pulseIds)]);
  const allowed = pulses.length === new Set(pulseIds).size && pulses.every((p) => p.tenantId === tenant.id && canViewResults({ roles }, units, p.unitId));
  if (!allowed) return { kind: 'forbidden', reason: 'access' };
  const csv = await resultsCsvFor(deps, pulses, tenant.minGroupSize, breakdown, unitsInScope(units, roles, RESULTS_VIEWER_ROLES).map((u) => u.id));
  await deps.audit.record({ tenantId: tenant.id, actorId: person.id, action: 'results.exported', target: pulses[0]!.id, details: { pulses: pulses.length, group: breakdown, via: 'link' } });
  return { kind: 'ok', csv, filename: `kompetansepuls-${osloDate(deps.clock())}.csv` };
}
