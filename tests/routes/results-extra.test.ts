import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPulseContent } from '../../src/domain/pulse-content.ts';
import { loadQuestionBank } from '../../src/question-bank/load-question-bank.ts';
import { fixture, startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';

// Trend between two rounds of the same pulse, and comments only for large groups.
let h: Harness;
const leader = teamsUser('rektor-trend', { name: 'Rita Rektor' });
const lastActivity = () => h.connector.sentActivities().at(-1);
const lastCard = () => JSON.stringify(lastActivity());
const content = buildPulseContent(loadQuestionBank(), 'laringsmiljo-1');
const COMMENT_ITEM = content.items.find((i) => i.kind === 'comment')!.id;

let seed: (round: 'previous' | 'current') => Promise<void>;

beforeAll(async () => {
  h = await startHarness();
  await h.send(leader.install());
  await h.send(leader.say('rolle meg leder'));
  const prisma = h.db.prisma;
  const tenant = await prisma.tenant.findFirstOrThrow();
  const root = await prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } });
  const school = await prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: 'Trendvik skole', schoolLevel: 'ungdomstrinn' } });
  const teachers = await Promise.all(Array.from({ length: 40 }, (_, i) => prisma.person.create({ data: { tenantId: tenant.id, teamsUserId: `29:teacher-${i}`, name: `Lærer ${i}`, staffRole: 'teacher' } })));
  const bua = await Promise.all(Array.from({ length: 9 }, (_, i) => prisma.person.create({ data: { tenantId: tenant.id, teamsUserId: `29:bua-${i}`, name: `BUA ${i}`, staffRole: 'child_youth_worker' } })));
  seed = async (round) => {
    const current = round === 'current';
    const closesAt = current ? new Date('2026-11-08T15:00:00Z') : new Date('2026-08-12T14:00:00Z');
    const pulse = await prisma.pulse.create({
      data: { tenantId: tenant.id, unitId: school.id, templateId: content.templateId, bankVersion: content.bankVersion, content: content as object, status: 'published', opensAt: new Date(closesAt.getTime() - 7 * 86_400_000), closesAt },
    });
    const people: ReadonlyArray<readonly [(typeof teachers)[number], 'teacher' | 'child_youth_worker', number]> = [...teachers.map((p, i) => [p, 'teacher', i] as const), ...bua.map((p, i) => [p, 'child_youth_worker', i] as const)];
    for (const [person, role, i] of people) {
      // Digitale krenkelser: teachers with a need (competence 1, importance 5) fall from 30 of 40 to 8 of 40.
      // Negativ sosial kontroll: 20 → 18 of 40 teachers (a small change). BUA: never a need.
      const needDk = role === 'teacher' && i < (current ? 8 : 30);
      const needNsk = role === 'teacher' && i < (current ? 18 : 20);
      const value = (itemId: string) =>
        itemId.endsWith('digitale-krenkelser') ? (itemId.startsWith('competence') ? (needDk ? 1 : 4) : needDk ? 5 : 3)
        : itemId.endsWith('negativ-sosial-kontroll') ? (itemId.startsWith('competence') ? (needNsk ? 2 : 4) : needNsk ? 4 : 3)
        : 3;
      // Answer times follow the people's order (comment «n» answered n minutes in), so a time-ordered list would be 0, 1, 2, …
      const answeredAt = new Date(closesAt.getTime() - 86_400_000 + i * 60_000 + (role === 'teacher' ? 0 : 3_600_000));
      await prisma.pulseRecipient.create({ data: { pulseId: pulse.id, personId: person.id, answeredAt } });
      const rows = content.items.filter((it) => it.scale).map((it) => ({ itemId: it.id, value: value(it.id), comment: null as string | null }));
      if (current && (role === 'child_youth_worker' || i < 12)) rows.push({ itemId: COMMENT_ITEM, value: null as never, comment: role === 'teacher' ? `Lærerkommentar ${i}` : `BUA-kommentar ${i}` });
      await prisma.answer.createMany({ data: rows.map((r) => ({ pulseId: pulse.id, personId: person.id, ...r, staffRole: role, schoolLevel: 'ungdomstrinn', schoolId: school.id, answeredAt })) });
    }
  };
  await seed('current');
});
afterAll(async () => {
  await h?.close();
});

describe('trend', () => {
  it('says so when there is no earlier round of the same pulse', async () => {
    await h.send(leader.say('trend'));
    const card = lastCard();
    expect(card).toContain('Utvikling: Læringsmiljø – behov');
    expect(card).toContain('Det finnes ingen tidligere runde av denne pulsen å sammenligne med ennå.');
    expect(card).not.toContain(' → ');
  });

  it('compares the latest round with the previous one: a clear reduction and «ingen sikker endring»', async () => {
    await seed('previous');
    await h.send(leader.say('trend'));
    const card = lastCard();
    expect(card).toContain('"type":"AdaptiveCard"');
    // 30/49 = 61 % → 8/49 = 16 %; 20/49 = 41 % → 18/49 = 37 %.
    expect(card).toMatch(/Digitale krenkelser: 61 % → 16 % \(redusert, ±\d+\)/);
    expect(card).toMatch(/Negativ sosial kontroll: 41 % → 37 % \(ingen sikker endring, ±\d+\)/);
    expect(card).not.toMatch(/\d+[.,]\d+ %/);
    const audit = await h.db.prisma.auditEntry.findMany({ where: { action: 'results.trend.viewed' } });
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('"trend digitale krenkelser for lærere" narrows to the theme and the staff group', async () => {
    await h.send(leader.say('trend digitale krenkelser for lærere'));
    const card = lastCard();
    expect(card).toContain('Lærer');
    expect(card).toMatch(/Digitale krenkelser: 75 % → 20 % \(redusert, ±\d+\)/);
    expect(card).not.toContain('Negativ sosial kontroll:');
  });

  it('"utvikling" in nynorsk wording and "change" in English reach the same route', async () => {
    await h.send(leader.say('utvikling'));
    expect(lastCard()).toContain('Digitale krenkelser: 61 % → 16 %');
    await h.send(leader.say('change'));
    expect(lastCard()).toContain('Digitale krenkelser: 61 % → 16 %');
  });
});

describe('comments', () => {
  it('shows comment texts for a large group, shuffled, without role, time or names', async () => {
    await h.send(leader.say('kommentarer'));
    const card = lastCard();
    const shown = [...card.matchAll(/«((?:Lærer|BUA-)kommentar \d+)»/g)].map((m) => m[1]!);
    expect(shown).toHaveLength(21);
    const byTime = [...Array.from({ length: 12 }, (_, i) => `Lærerkommentar ${i}`), ...Array.from({ length: 9 }, (_, i) => `BUA-kommentar ${i}`)];
    expect([...shown].sort()).toEqual([...byTime].sort());
    expect(shown).not.toEqual(byTime);
    expect(shown).not.toEqual([...byTime].reverse());
    expect(card).not.toMatch(/Lærer \d|BUA \d|2026|09:|Barne- og ungdomsarbeider/);
    await h.send(leader.say('kommentarer'));
    expect([...lastCard().matchAll(/«([^»]+)»/g)].map((m) => m[1])).toEqual(shown); // stable, not random per view
  });

  it('shows no comments for a group of 9 (under COMMENT_MIN_GROUP = 10), though results for it are shown', async () => {
    await h.send(leader.say('kommentarer for BUA'));
    const card = lastCard();
    expect(card).toContain('Barne- og ungdomsarbeider: kommentarer vises bare for grupper der minst 10 har svart.');
    expect(card).not.toContain('kommentar 0');
    expect(card).not.toMatch(/BUA-kommentar/);
    await h.send(leader.say('kommentarer for lærere'));
    const teachers = lastCard();
    expect(teachers).toContain('Lærerkommentar');
    expect(teachers).not.toContain('BUA-kommentar');
  });

  it('never in a channel post', async () => {
    await h.send(fixture('personal-message', { from: leader.from, conversation: { id: '19:kanal@thread.tacv2', conversationType: 'channel' }, locale: 'nb-NO', text: 'kommentarer' }));
    const reply = lastActivity()!;
    expect(reply.text).toBe('Kommentarer vises bare i personlig chat med meg, aldri i kanaler eller gruppechatter.');
    expect(JSON.stringify(reply)).not.toContain('kommentar 1');
  });
});
