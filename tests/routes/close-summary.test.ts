import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePulse } from '../../src/services/pulse-closing.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';
import { seedAnsweredPulse } from '../helpers/seed-pulse.ts';

// At close, the leaders over the pulse's unit get the response rate together
// with the anonymous summary of that pulse: the same view as «resultater».
let h: Harness;
const rektor = teamsUser('rektor', { name: 'Rita Rektor' });
const otherLeader = teamsUser('annen', { name: 'Anne Annenskole', locale: 'en-US' });
const staff = teamsUser('kari', { name: 'Kari Nordmann' });
let nordby = '';
let sorby = '';

const postsTo = (conversationId: string) => h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationId && /\/activities/.test(c.path)).map((c) => JSON.stringify(c.body));

beforeAll(async () => {
  h = await startHarness();
  for (const u of [rektor, otherLeader, staff]) await h.send(u.install());
  const prisma = h.db.prisma;
  const tenant = await prisma.tenant.findFirstOrThrow();
  const root = await prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } });
  nordby = (await prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: 'Nordby skole', schoolLevel: 'ungdomstrinn' } })).id;
  sorby = (await prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: 'Sørby skole', schoolLevel: 'barnetrinn' } })).id;
  await h.send(rektor.say('rolle meg leder Nordby skole'));
  // Only an admin grants roles; the first installer (rektor) is the admin.
  const annen = await prisma.person.findFirstOrThrow({ where: { teamsUserId: otherLeader.from.id } });
  await prisma.roleAssignment.create({ data: { personId: annen.id, unitId: sorby, role: 'leader' } });
});
afterAll(async () => {
  await h?.close();
});

describe('summary to leaders at close', () => {
  it('sends the leader of the unit one card: response rate, headline, chart and staff groups, with small groups hidden; audited', async () => {
    const { pulseId } = await seedAnsweredPulse(h.db, {
      unitId: nordby,
      status: 'open',
      prefix: 'a',
      groups: [
        ['teacher', 7, (item) => (item.startsWith('competence') ? 4 : 3)],
        ['child_youth_worker', 6, (item) => (item === 'competence-digitale-krenkelser' ? 1 : item === 'importance-digitale-krenkelser' ? 5 : 3)],
        ['school_assistant', 5, () => 3],
        ['sfo_leader', 1, () => 1],
      ],
    });
    const pulse = await h.db.prisma.pulse.findUniqueOrThrow({ where: { id: pulseId } });
    h.deps.clock = () => new Date(pulse.closesAt.getTime() + 60_000);
    h.connector.reset();
    await closePulse(h.deps, pulseId);

    const toRektor = postsTo(rektor.conversationId);
    expect(toRektor).toHaveLength(1);
    const card = toRektor[0]!;
    expect(card).toContain('Pulsen «Læringsmiljø – behov» for Nordby skole er stengt. 19 av 19 svarte (100 %).');
    expect(card).toContain('Størst behov: Digitale krenkelser');
    expect(card).toContain('"type":"Chart.HorizontalBar"');
    expect(card).toMatch(/"title":"Barne- og ungdomsarbeider","value":"Digitale krenkelser minst 83 %"/);
    // One SFO leader: hidden, and the next-smallest group (5 assistants) with it, so nobody can subtract.
    expect(card).toMatch(/"title":"SFO-leder eller baseleder","value":"for få svar \(under 5\)"/);
    // Five is not too few: the card says why they are hidden.
    expect(card).toMatch(/"title":"Assistent eller miljøarbeider","value":"skjult \(kunne ellers regnes ut\)"/);
    expect(card).toMatch(/"title":"Lærer","value":"[^"]+ \d+ %"/);
    expect(card).not.toContain('Ansatt ');
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'results.sent', target: pulseId } })).toBe(1);
    // Not the other school's leader, not staff.
    expect(postsTo(otherLeader.conversationId)).toHaveLength(0);
    expect(postsTo(staff.conversationId)).toHaveLength(0);
  });

  it('sends no figures when fewer than k answered: the notice alone', async () => {
    const { pulseId } = await seedAnsweredPulse(h.db, { unitId: sorby, status: 'open', prefix: 'b', groups: [['teacher', 3, () => 4]] });
    await h.db.prisma.pulseRecipient.createMany({
      data: (await h.db.prisma.person.findMany({ where: { teamsUserId: { startsWith: '29:a-' } }, take: 4 })).map((p) => ({ pulseId, personId: p.id })),
    });
    const pulse = await h.db.prisma.pulse.findUniqueOrThrow({ where: { id: pulseId } });
    h.deps.clock = () => new Date(pulse.closesAt.getTime() + 60_000);
    h.connector.reset();
    await closePulse(h.deps, pulseId);
    const toOther = postsTo(otherLeader.conversationId);
    expect(toOther).toHaveLength(1);
    expect(toOther[0]).toContain('The pulse');
    expect(toOther[0]).toContain('3 of 7');
    expect(toOther[0]).not.toContain('Chart.HorizontalBar');
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'results.sent', target: pulseId } })).toBe(0);
    expect(postsTo(rektor.conversationId)).toHaveLength(0);
  });
});
