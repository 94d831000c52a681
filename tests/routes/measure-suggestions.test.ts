import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../src/db/demo-data.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { invokeCard, teamsUser } from '../helpers/people.ts';

// On the demo municipality (patterns from the seeds: assistants and BUA with
// higher needs than teachers, staff cover and money as barriers), a leader
// asks for suggestions per group, chooses one, and it becomes a measure.
let h: Harness;
const NOW = new Date('2026-11-23T09:00:00Z');
const leader = teamsUser('rektor-forslag', { name: 'Rita Rektor' });
const english = teamsUser('leader-en', { name: 'Lee Leader', locale: 'en-US' });
const staff = teamsUser('kari-forslag', { name: 'Kari Nordmann' });

type Card = { body: unknown[]; actions?: Array<{ title: string; verb: string; data: Record<string, string> }> };
const lastCard = (): Card => h.connector.sentActivities().at(-1)!.attachments![0]!.content as Card;
const chooseButtons = (card: Card) => (card.actions ?? []).filter((a) => a.verb === 'measure.choose');

beforeAll(async () => {
  h = await startHarness();
  h.deps.clock = () => NOW;
  await h.send(leader.install());
  await h.send(english.install());
  await h.send(staff.install());
  const tenant = await h.db.prisma.tenant.findFirstOrThrow();
  const seeded = await seedDemoData(h.db.prisma, { teamsTenantId: tenant.teamsTenantId, now: NOW });
  expect(seeded.kind).toBe('created');
  await h.send(leader.say('rolle meg leder Fjordvik kommune'));
  const municipality = await h.db.prisma.orgUnit.findFirstOrThrow({ where: { name: 'Fjordvik kommune' } });
  const en = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: english.from.id } });
  await h.db.prisma.roleAssignment.create({ data: { personId: en.id, unitId: municipality.id, role: 'coordinator' } });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

describe('suggested measures', () => {
  let forTeachers: Card;
  let forAssistants: Card;

  it('teachers and assistants get different suggestions, each with reasons taken from their own figures', async () => {
    await h.send(leader.say('forslag for lærere'));
    forTeachers = lastCard();
    await h.send(leader.say('hva bør vi gjøre for assistentene?'));
    forAssistants = lastCard();
    const teacherText = JSON.stringify(forTeachers);
    const assistantText = JSON.stringify(forAssistants);
    expect(teacherText).toContain('Forslag til tiltak for lærerne');
    expect(assistantText).toContain('Forslag til tiltak for assistentene og miljøarbeiderne');
    expect(chooseButtons(forTeachers).length).toBeGreaterThan(0);
    expect(chooseButtons(forAssistants).length).toBeGreaterThan(0);
    expect(chooseButtons(forTeachers).map((a) => a.data.catalogueId)).not.toEqual(chooseButtons(forAssistants).map((a) => a.data.catalogueId));
    // Reasons name the group and a share of it, with the number of answers behind it.
    expect(assistantText).toMatch(/Fordi \d+ % av assistentene og miljøarbeiderne/);
    expect(assistantText).toMatch(/\(\d+ svar\)/);
    expect(teacherText).toMatch(/Fordi \d+ % av lærerne/);
    // Built on the demo's needs and barrier pulses, and never on names.
    expect(assistantText).toContain('bygger på:');
    expect(assistantText).not.toMatch(/@fjordvik|Ansatt /);
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'measures.suggested' } })).toBe(2);
  });

  it('"forslag" for everyone lists each staff group\'s best suggestion, with small groups left out', async () => {
    await h.send(leader.say('forslag'));
    const text = JSON.stringify(lastCard());
    expect(text).toContain('Forslag til tiltak for alle ansatte');
    expect(text).toContain('Beste forslag per ansattgruppe');
    expect(text).toMatch(/"title":"Lærer","value":"[^"]+"/);
  });

  it('choosing one records a measure for the unit and group with the reasons and what to evaluate; a second press changes nothing', async () => {
    const button = chooseButtons(forAssistants)[0]!;
    const press = () => h.send(leader.act('measure.choose', { ...button.data, startsOn: '2027-01-04', evaluateAfter: '6' }));
    const card = invokeCard(await press());
    expect(card).toContain('er registrert for assistentene og miljøarbeiderne ved Fjordvik kommune, med start 4. januar 2027');
    expect(card).toContain('4. juli 2027');
    const measures = await h.db.prisma.measure.findMany();
    expect(measures).toHaveLength(1);
    const m = measures[0]!;
    expect(m).toMatchObject({ catalogueId: button.data.catalogueId, staffRole: 'school_assistant', status: 'running' });
    expect(m.startsOn.toISOString().slice(0, 10)).toBe('2027-01-04');
    expect(m.evaluateOn.toISOString().slice(0, 10)).toBe('2027-07-04');
    expect(m.themeIds.length + m.itemIds.length).toBeGreaterThan(0);
    expect(m.basePulseId).not.toBeNull();
    expect(JSON.stringify(m.reasons)).toMatch(/"kind":"need"/);
    expect(invokeCard(await press())).toContain('er allerede registrert');
    expect(await h.db.prisma.measure.count()).toBe(1);
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'measure.created' } })).toBe(1);
  });

  it('refuses staff, forged measures, stale cards and bad dates with a clear message, and stores nothing', async () => {
    const button = chooseButtons(forTeachers)[0]!;
    const good = { ...button.data, startsOn: '2027-01-04', evaluateAfter: '3' };
    expect(invokeCard(await h.send(staff.act('measure.choose', good)))).toContain('Bare ledere og koordinatorer kan få forslag til tiltak');
    expect(invokeCard(await h.send(leader.act('measure.choose', { ...good, catalogueId: 'finnes-ikke' })))).toContain('Forslagene har endret seg');
    expect(invokeCard(await h.send(leader.act('measure.choose', { ...good, startsOn: '2027-02-30' })))).toContain('startdatoen må være en dato');
    expect(invokeCard(await h.send(leader.act('measure.choose', { ...good, evaluateAfter: '99' })))).toContain('velg et tiltak fra kortet');
    expect(invokeCard(await h.send(leader.act('measure.choose', { ...good, groupKey: "'; drop table" })))).toContain('velg et tiltak fra kortet');
    expect(await h.db.prisma.measure.count()).toBe(1);
  });

  it('staff asking for suggestions are told who may, and English works', async () => {
    await h.send(staff.say('forslag'));
    expect(h.connector.sentActivities().at(-1)!.text).toContain('Bare ledere og koordinatorer');
    await h.send(english.say('suggestions for assistants'));
    const text = JSON.stringify(lastCard());
    expect(text).toContain('Suggested measures for');
    expect(text).toMatch(/Because \d+ %/);
  });
});

describe('local measures', () => {
  it('a coordinator\'s own measure is validated, stored once, and suggested to the group it is for', async () => {
    const tenant = await h.db.prisma.tenant.findFirstOrThrow();
    const raw = JSON.parse(fs.readFileSync(new URL('../fixtures/local-measure.json', import.meta.url), 'utf8')) as { entries: Array<Record<string, unknown>> };
    const broken = { entries: [{ ...raw.entries[0], themes: ['finnes-ikke'] }] };
    const refused = await h.deps.catalogue.add(tenant.id, broken, null);
    expect(refused.ok).toBe(false);
    expect(await h.db.prisma.customMeasure.count()).toBe(0);
    expect(await h.deps.catalogue.add(tenant.id, { entries: [{ ...raw.entries[0], id: 'udir-skolemiljo' }] }, null)).toMatchObject({ ok: false, problems: [expect.stringContaining('already exists')] });
    expect(await h.deps.catalogue.add(tenant.id, raw, null)).toEqual({ ok: true, added: 1 });
    expect(await h.deps.catalogue.add(tenant.id, raw, null)).toMatchObject({ ok: false });
    expect(await h.db.prisma.customMeasure.count()).toBe(1);

    await h.send(leader.say('hva bør vi gjøre for assistentene?'));
    expect(JSON.stringify(lastCard())).toContain('Fjordvik-nettverket for sårbare elever');
    await h.send(leader.say('forslag for lærere'));
    expect(JSON.stringify(lastCard())).not.toContain('Fjordvik-nettverket');
  });
});
