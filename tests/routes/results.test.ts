import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHOOL_LEVELS, STAFF_ROLES } from '../../src/domain/profile.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { invokeCard, teamsUser } from '../helpers/people.ts';
import { seedAnsweredPulse } from '../helpers/seed-pulse.ts';

// Leaders ask in their own words and get anonymous results per staff group.
let h: Harness;
const leader = teamsUser('rektor', { name: 'Rita Rektor' });
const staffMember = teamsUser('kari', { name: 'Kari Nordmann' });
const lastCard = () => JSON.stringify(h.connector.sentActivities().at(-1));

beforeAll(async () => {
  h = await startHarness();
  await h.send(leader.install());
  await h.send(staffMember.install());
  await h.send(leader.say('rolle meg leder'));
  const prisma = h.db.prisma;
  const tenant = await prisma.tenant.findFirstOrThrow();
  const root = await prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } });
  const school = await prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: 'Nordby skole', schoolLevel: 'ungdomstrinn' } });
  // 8 teachers, 6 child and youth workers (BUA), 2 SFO leaders, 3 without a role in their profile.
  await seedAnsweredPulse(h.db, {
    unitId: school.id,
    groups: [
      ['teacher', 8, (item) => (item.startsWith('competence') ? 4 : 3)],
      ['child_youth_worker', 6, (item) => (item === 'competence-digitale-krenkelser' ? 1 : item === 'importance-digitale-krenkelser' ? 5 : item.startsWith('competence') ? 3 : 4)],
      ['sfo_leader', 2, () => 2],
      [null, 3, () => 3],
    ],
  });
  // An earlier round of another template, to choose on the card.
  await seedAnsweredPulse(h.db, {
    unitId: school.id,
    templateId: 'hindringer-tilrettelegging',
    closesAt: new Date('2026-10-01T15:00:00Z'),
    prefix: 'b',
    groups: [
      ['teacher', 7, () => 4],
      ['school_assistant', 5, () => 5],
    ],
  });
});
afterAll(async () => {
  await h?.close();
});

describe('results for leaders', () => {
  it('"resultater" gives a headline, a chart with a text fallback, and each staff group, hiding groups under k', async () => {
    await h.send(leader.say('resultater'));
    const card = lastCard();
    expect(card).toContain('Resultater: Læringsmiljø – behov');
    expect(card).toContain('Nordby skole');
    expect(card).toContain('19 svarte');
    expect(card).toContain('"type":"Chart.HorizontalBar"');
    expect(card).toContain('"fallback"');
    expect(card).toMatch(/"title":"Lærer","value":"[^"]+ \d+ %"/);
    expect(card).toMatch(/"title":"Barne- og ungdomsarbeider","value":"Digitale krenkelser minst 83 %"/);
    expect(card).toMatch(/"title":"SFO-leder eller baseleder","value":"for få svar \(under 5\)"/);
    expect(card).toMatch(/"title":"Uten oppgitt rolle","value":"for få svar \(under 5\)"/);
    expect(card).not.toContain('Ansatt ');
    const audit = await h.db.prisma.auditEntry.findMany({ where: { action: 'results.viewed' } });
    expect(audit).toHaveLength(1);
  });

  it('"hva trenger BUA mest?" answers for that group with its greatest need', async () => {
    await h.send(leader.say('hva trenger BUA mest?'));
    const card = lastCard();
    expect(card).toContain('Størst behov: Digitale krenkelser (Barne- og ungdomsarbeider minst 83 % stor/svært stor grad)');
    expect(card).toContain('6 svarte');
  });

  it('asking about a group under k says so instead of showing anything', async () => {
    await h.send(leader.say('resultater for SFO-ledere'));
    const card = lastCard();
    expect(card).toContain('SFO-leder eller baseleder: for få svar til å vise resultater');
    expect(card).not.toContain('"type":"Chart.HorizontalBar"');
    expect(card).not.toMatch(/\d+ svarte/);
  });

  it('staff see no results until a leader shares them (tests/routes/results-sharing.test.ts)', async () => {
    await h.send(staffMember.say('resultater'));
    const reply = h.connector.sentActivities().at(-1)!;
    expect(reply.text).toBe('Ledelsen har ikke delt noen resultater med deg ennå. Når de gjør det, kan du se en anonym oppsummering her ved å skrive «resultater».');
    expect(reply.attachments ?? []).toHaveLength(0);
  });

  it('the card lets a leader choose another pulse and group; a forged choice or a staff member gets a clear message', async () => {
    await h.send(leader.say('resultater'));
    const card = lastCard();
    expect(card).toContain('Vis andre resultater');
    expect(card).toContain('{"title":"Hindringer – tilrettelegging på skolen","value":"hindringer-tilrettelegging"}');
    expect(card).toContain('"verb":"results.show"');
    const chosen = invokeCard(await h.send(leader.act('results.show', { templateId: 'hindringer-tilrettelegging', group: 'teacher', focus: 'summary' })));
    expect(chosen).toContain('Resultater: Hindringer – tilrettelegging på skolen');
    expect(chosen).toContain('7 svarte');
    expect(invokeCard(await h.send(leader.act('results.show', { templateId: 'finnes-ikke', group: 'teacher' })))).toContain('Det valget finnes ikke lenger');
    expect(invokeCard(await h.send(leader.act('results.show', { templateId: 'hindringer-tilrettelegging', group: 'rektor; drop' })))).toContain('Det valget finnes ikke lenger');
    expect(invokeCard(await h.send(staffMember.act('results.show', { templateId: 'hindringer-tilrettelegging', group: 'all' })))).toContain('Bare ledere og koordinatorer');
  });

  it('offers every staff role and school level in the picker, and each one it offers is accepted', async () => {
    await h.send(leader.say('resultater'));
    const choices = [...lastCard().matchAll(/\{"title":"([^"]+)","value":"([a-z_]+)"\}/g)].map((m) => ({ title: m[1]!, value: m[2]! })).filter((c) => c.value !== 'hindringer-tilrettelegging' && !c.value.includes('-'));
    expect(choices.map((c) => c.value)).toEqual(['all', ...STAFF_ROLES, ...SCHOOL_LEVELS]);
    expect(choices.find((c) => c.value === 'kombinert')?.title).toBe('Flere skolenivåer');
    for (const c of choices) {
      const card = invokeCard(await h.send(leader.act('results.show', { templateId: 'hindringer-tilrettelegging', group: c.value, focus: 'summary' })));
      expect(card, c.value).not.toContain('Det valget finnes ikke lenger');
      expect(card, c.value).toContain('Resultater: Hindringer – tilrettelegging på skolen');
    }
  });
});
