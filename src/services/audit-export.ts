import type { Deps } from '../deps.ts';
import type { Actor } from './actor.ts';
import { privacyRepository, type AuditRow } from '../db/privacy-repository.ts';
import { signToken, verifyToken } from '../domain/signed-token.ts';

/**
 * «eksport logg» / «audit export»: admins download the tenant's audit log
 * (who viewed which results, who changed roles, erasures, …) as CSV for
 * Norwegian Excel, through a signed link that lasts EXPORT_LINK_MINUTES; the
 * admin role is checked again on download, and each download is audited
 * (`audit.exported`). Entries hold ids, counts and names of actors — never
 * answer contents.
 */
export type AuditTokenPayload = { tenantId: string; personId: string; exp: number };

const isAuditPayload = (v: unknown): v is AuditTokenPayload => {
  const p = v as AuditTokenPayload;
  return !!p && typeof p === 'object' && typeof p.tenantId === 'string' && typeof p.personId === 'string' && typeof p.exp === 'number';
};

export type AuditLinkOutcome = { kind: 'notAdmin' } | { kind: 'ok'; url: string; expiresAt: Date };

export function auditExportLink(deps: Deps, actor: Actor): AuditLinkOutcome {
  if (!actor.roles.some((r) => r.role === 'admin')) return { kind: 'notAdmin' };
  const expiresAt = new Date(deps.clock().getTime() + deps.config.export.linkMs);
  const token = signToken<AuditTokenPayload>('audit', { tenantId: actor.tenant.id, personId: actor.person.id, exp: expiresAt.getTime() }, deps.config.export.signingSecret);
  return { kind: 'ok', url: `${deps.config.export.publicBaseUrl}/export/audit/${token}`, expiresAt };
}

export type AuditFileOutcome = { kind: 'forbidden'; reason: string } | { kind: 'ok'; csv: string; filename: string };

const osloDateTime = (d: Date) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(d);

/** A CSV field for Excel with semicolons: quoted when needed, and never read as a formula. */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function detailsText(details: unknown): string {
  if (!details || typeof details !== 'object') return '';
  return Object.entries(details as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

export const AUDIT_CSV_HEADER = ['Tidspunkt (Oslo)', 'Handling', 'Utført av', 'Utført av (e-post)', 'Utført av (id)', 'Gjelder', 'Gjelder (id)', 'Detaljer'];

/** Semicolon CSV with a UTF-8 BOM, like the results export. */
export function auditCsv(rows: readonly AuditRow[]): string {
  const lines = rows.map((r) =>
    [
      osloDateTime(new Date(r.at)),
      r.action,
      r.actorName ?? (r.actorId ? '(ukjent eller slettet person)' : '(systemet)'),
      r.actorEmail ?? '',
      r.actorId ?? '',
      r.targetPulse ? `puls «${r.targetPulse}»` : (r.targetName ?? r.targetEmail ?? ''),
      r.target ?? '',
      detailsText(r.details),
    ]
      .map((v) => field(v))
      .join(';'),
  );
  return `\uFEFF${[AUDIT_CSV_HEADER.join(';'), ...lines].join('\r\n')}\r\n`;
}

export async function auditFileFor(deps: Deps, token: string): Promise<AuditFileOutcome> {
  const payload = verifyToken('audit', token, deps.config.export.signingSecret, deps.clock(), isAuditPayload);
  if (!payload) return { kind: 'forbidden', reason: 'token' };
  const person = await deps.directory.findPerson(payload.tenantId, payload.personId);
  if (!person) return { kind: 'forbidden', reason: 'person' };
  const roles = await deps.directory.rolesOf(person.id);
  if (!roles.some((r) => r.role === 'admin')) return { kind: 'forbidden', reason: 'access' };
  const rows = await privacyRepository(deps.db.prisma, deps.db.sql).auditLog(payload.tenantId);
  await deps.audit.record({ tenantId: payload.tenantId, actorId: person.id, action: 'audit.exported', details: { entries: rows.length } });
  return { kind: 'ok', csv: auditCsv(rows), filename: `kompetansepuls-logg-${osloDateTime(deps.clock()).slice(0, 10)}.csv` };
}
