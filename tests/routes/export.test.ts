import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signExportToken, type ExportTokenPayload } from '../../src/domain/export-token.ts';
import { buildPulseContent } from '../../src/domain/pulse-content.ts';
import { loadQuestionBank } from '../../src/question-bank/load-question-bank.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';

// `eksport`: leaders get a signed, short-lived link to a CSV of the anonymous aggregates.
let h: Harness;
const leader = teamsUser('rektor-eksport', { name: 'Rita Rektor' });
const staffMember = teamsUser('kari-eksport', { name: 'Kari Nordmann' });
let tenantA: string;
let leaderId: string;
let pulseA: string;
let tenantB: string;
let leaderB: string;
let pulseB: string;

const content = buildPulseContent(loadQuestionBank(), 'laringsmiljo-1');
const lastActivity = () => h.connector.sentActivities().at(-1)!;
const sign = (p: Partial<ExportTokenPayload>) =>
  signExportToken({ tenantId: tenantA, personId: leaderId, pulseIds: [pulseA], breakdown: 'staffRole', exp: Date.now() + 60_000, ...p }, h.deps.config.export.signingSecret);
const download = (token: string) => fetch(`${h.baseUrl}/export/${token}`);

async function seedPulse(tenantId: string, unitId: string, groups: Array<[string | null, number, number]>): Promise<string> {
  const prisma = h.db.prisma;
  const pulse = await prisma.pulse.create({
    data: { tenantId, unitId, templateId: content.templateId, bankVersion: content.bankVersion, content: content as object, status: 'published', opensAt: new Date('2026-11-01T08:00:00Z'), closesAt: new Date('2026-11-08T15:00:00Z') },
  });
  let n = 0;
  for (const [role, count, value] of groups) {
    for (let i = 0; i < count; i++) {
      const person = await prisma.person.create({ data: { tenantId, teamsUserId: `29:export-${tenantId}-${n++}`, name: `Ansatt ${n}`, staffRole: role as never } });
      await prisma.answer.createMany({
        data: content.items.filter((it) => it.scale).map((it) => ({ pulseId: pulse.id, personId: person.id, itemId: it.id, value, staffRole: role as never, schoolLevel: 'barnetrinn', schoolId: unitId, answeredAt: new Date('2026-11-02T09:00:00Z') })),
      });
    }
  }
  return pulse.id;
}

beforeAll(async () => {
  h = await startHarness();
  await h.send(leader.install());
  await h.send(staffMember.install());
  await h.send(leader.say('rolle meg leder'));
  const prisma = h.db.prisma;
  const tenant = await prisma.tenant.findFirstOrThrow();
  tenantA = tenant.id;
  leaderId = (await prisma.person.findFirstOrThrow({ where: { name: 'Rita Rektor' } })).id;
  const root = await prisma.orgUnit.findFirstOrThrow({ where: { tenantId: tenantA, kind: 'organisation' } });
  const school = await prisma.orgUnit.create({ data: { tenantId: tenantA, parentId: root.id, kind: 'school', name: 'Nordby skole', schoolLevel: 'barnetrinn' } });
  // 8 teachers, 6 BUA, 2 SFO leaders (under k), 3 without a role (under k; together 5 = k, so nothing more is hidden).
  pulseA = await seedPulse(tenantA, school.id, [['teacher', 8, 4], ['child_youth_worker', 6, 2], ['sfo_leader', 2, 1], [null, 3, 3]]);
  // Another organisation with its own leader and pulse.
  const b = await h.deps.directory.ensureTenant('tenant-b-export');
  tenantB = b.id;
  const personB = await prisma.person.create({ data: { tenantId: tenantB, teamsUserId: '29:leader-b', name: 'Leder B' } });
  leaderB = personB.id;
  await h.deps.directory.grantRole(leaderB, b.rootUnitId, 'leader', leaderB);
  pulseB = await seedPulse(tenantB, b.rootUnitId, [['teacher', 10, 5]]);
});
afterAll(async () => {
  await h?.close();
});

describe('results export (eksport)', () => {
  it('"eksport" gives a card with a download link, its expiry and the privacy line; the link serves the CSV', async () => {
    await h.send(leader.say('eksport'));
    const card = JSON.stringify(lastActivity());
    expect(card).toContain('"type":"Action.OpenUrl"');
    expect(card).toContain('Last ned CSV');
    expect(card).toContain('Lenken virker til');
    expect(card).toContain('Bare grupper med minst 5 svar vises');
    const url = /"url":"([^"]+)"/.exec(card)![1]!;
    expect(url.startsWith(`${h.deps.config.export.publicBaseUrl}/export/`)).toBe(true);
    const token = url.slice(url.lastIndexOf('/') + 1);

    const res = await download(token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="kompetansepuls-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('gruppe;type;spørsmål/tema;antall svar;snitt;andel 4–5 (%);andel 1–2 (%);fordeling 1;fordeling 2;fordeling 3;fordeling 4;fordeling 5');
    expect(lines).toContain('Alle ansatte;gruppe;(personer som svarte);19;;;;;;;;');
    expect(lines).toContain('Rolle: Lærer;gruppe;(personer som svarte);8;;;;;;;;');
    expect(lines).toContain('Rolle: SFO-leder eller baseleder;gruppe;(alle spørsmål);for få svar;;;;;;;;');
    expect(lines).toContain('Rolle: Uten oppgitt rolle;gruppe;(alle spørsmål);for få svar;;;;;;;;');
    // Nothing of the hidden groups beyond that one row, and never a name.
    expect(lines.filter((l) => l.startsWith('Rolle: SFO') || l.startsWith('Rolle: Uten'))).toHaveLength(2);
    expect(csv).not.toContain('Ansatt 1');
    expect(csv).not.toContain('Rita');
    // Teachers all answered 4: 8 is under 2k, so shares only — «0;0;0;8;0» would tell each teacher's answer.
    expect(lines.some((l) => l.startsWith('Rolle: Lærer;kompetanse;') && l.endsWith(';8;;100;0;;;;;'))).toBe(true);
    // All 19: mean and answers per scale point (2·1 + 6·2 + 3·3 + 8·4) / 19 = 2,9.
    expect(lines.some((l) => l.startsWith('Alle ansatte;kompetanse;') && l.endsWith(';19;2,9;42;42;2;6;3;8;0'))).toBe(true);
    const audit = await h.db.prisma.auditEntry.findMany({ where: { action: 'results.exported' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(leaderId);
  });

  it('"eksport nivå" breaks down by school level instead of staff group (never both)', async () => {
    await h.send(leader.say('eksport per skolenivå'));
    const url = /"url":"([^"]+)"/.exec(JSON.stringify(lastActivity()))![1]!;
    const csv = await (await download(url.slice(url.lastIndexOf('/') + 1))).text();
    expect(csv).toContain('Skolenivå: Barnetrinn;gruppe;(personer som svarte);19;');
    expect(csv).not.toContain('Rolle: ');
  });

  it('a tampered or expired link is refused with 403', async () => {
    const good = sign({});
    expect((await download(good)).status).toBe(200);
    const [body, sig] = good.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ tenantId: tenantA, personId: leaderId, pulseIds: [pulseA, pulseB], breakdown: 'staffRole', exp: Date.now() + 60_000 })).toString('base64url');
    for (const bad of [`${forged}.${sig}`, `${body}.${sig.slice(0, -2)}AA`, `${body}x.${sig}`, 'not-a-token', sign({ exp: Date.now() - 1000 })]) {
      const res = await download(bad);
      expect(res.status, bad).toBe(403);
      expect(await res.text()).toMatch(/ugyldig eller utløpt/);
    }
  });

  it('a link for one tenant cannot read another tenant', async () => {
    expect((await download(sign({ tenantId: tenantB, personId: leaderB, pulseIds: [pulseB] }))).status).toBe(200);
    expect((await download(sign({ pulseIds: [pulseB] }))).status).toBe(403);
    expect((await download(sign({ pulseIds: [pulseA, pulseB] }))).status).toBe(403);
    expect((await download(sign({ tenantId: tenantB, personId: leaderB, pulseIds: [pulseA] }))).status).toBe(403);
    expect((await download(sign({ tenantId: tenantB, personId: leaderId, pulseIds: [pulseB] }))).status).toBe(403);
  });

  it('access is checked again on download: a link stops working when the role is gone', async () => {
    const token = sign({});
    await h.db.prisma.roleAssignment.deleteMany({ where: { personId: leaderId, role: 'leader' } });
    try {
      expect((await download(token)).status).toBe(403);
    } finally {
      const root = await h.db.prisma.orgUnit.findFirstOrThrow({ where: { tenantId: tenantA, kind: 'organisation' } });
      await h.deps.directory.grantRole(leaderId, root.id, 'leader', leaderId);
    }
  });

  it('staff get a refusal, not a link', async () => {
    await h.send(staffMember.say('eksport'));
    const reply = lastActivity();
    expect(reply.text).toBe('Bare ledere og koordinatorer kan eksportere resultater, og bare for egne enheter.');
    expect(JSON.stringify(reply)).not.toContain('/export/');
  });
});
