import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osloLocalToInstant } from '../../src/domain/schedule.ts';
import { firePlan } from '../../src/services/plan-runner.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { invokeCard, teamsUser } from '../helpers/people.ts';

// «Hopp over helligdager og ferier» used to know public holidays only, so a
// weekly Tuesday plan sent on 23 December. Here a leader registers the
// kommune's juleferie with «ferie …», and the school's plan skips it: in the
// confirmation's next three sends, and when the planned time comes.
//
// The clock is in 2031 so that the jobs the app queues for the plan's real
// times never run during the test; the test fires them itself.
let h: Harness;
const ola = teamsUser('ola-ferie', { name: 'Ola Rektor' });
const lise = teamsUser('lise-ferie', { name: 'Lise Sørby' });
const kari = teamsUser('kari-ferie', { name: 'Kari Lærer' });
const emma = teamsUser('emma-ferie', { name: 'Emma English', locale: 'en-US' });
const nils = teamsUser('nils-ferie', { name: 'Nils Nynorsk', locale: 'nn-NO' });
const at = (date: string, time = '14:00') => osloLocalToInstant(date, time);
const setClock = (d: Date) => {
  h.deps.clock = () => d;
};
const reply = async (user: ReturnType<typeof teamsUser>, text: string) => {
  await h.send(user.say(text));
  const a = h.connector.sentActivities().at(-1)!;
  return a.text ?? JSON.stringify(a.attachments?.[0]?.content);
};
const ids = { kommune: '', nordby: '', sorby: '' };
let planId = '';

/** The plan form as submitted; what is left out gets the form's defaults (weekly, 3 days, skip holidays). */
const weeklyPlan = (over: Record<string, unknown> = {}) => ({
  planId: '',
  templateId: 'laringsmiljo-1',
  unitId: ids.nordby,
  firstDate: '2031-12-09', // a Tuesday; so is 23 December 2031
  time: '14:00',
  skipHolidays: 'true',
  ...over,
});
const holidayCount = () => h.db.prisma.unitHoliday.count();

beforeAll(async () => {
  h = await startHarness();
  setClock(at('2031-12-01', '09:00'));
  await h.send(ola.install());
  await h.send(ola.say('rolle meg leder'));
  for (const u of [lise, kari, emma, nils]) await h.send(u.install());
  const prisma = h.db.prisma;
  const root = await prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } });
  ids.kommune = (await prisma.orgUnit.create({ data: { tenantId: root.tenantId, parentId: root.id, kind: 'municipality', name: 'Fjordvik kommune' } })).id;
  ids.nordby = (await prisma.orgUnit.create({ data: { tenantId: root.tenantId, parentId: ids.kommune, kind: 'school', name: 'Nordby skole' } })).id;
  ids.sorby = (await prisma.orgUnit.create({ data: { tenantId: root.tenantId, parentId: root.id, kind: 'school', name: 'Sørby skole' } })).id;
  const person = (u: ReturnType<typeof teamsUser>) => prisma.person.findFirstOrThrow({ where: { teamsUserId: u.from.id } });
  await h.deps.directory.grantRole((await person(lise)).id, ids.sorby, 'leader', (await person(ola)).id);
  await h.deps.directory.grantRole((await person(emma)).id, ids.kommune, 'coordinator', (await person(ola)).id);
  await h.deps.directory.grantRole((await person(nils)).id, ids.kommune, 'leader', (await person(ola)).id);
});
afterAll(async () => {
  await h?.close();
});

describe('school holidays (skolerute) over HTTP', () => {
  it('help lists «ferie» for a leader, not for staff', async () => {
    expect(await reply(ola, 'hjelp')).toContain('"ferie"');
    expect(await reply(kari, 'hjelp')).not.toContain('"ferie"');
  });

  it('the plan form says exactly what is skipped, and that no school holidays are registered yet', async () => {
    const form = await reply(ola, 'ny plan');
    expect(form).toContain('Hopp over helligdager og skolens ferier (skolerute)');
    expect(form).toContain('Ingen skoleferier er registrert ennå, så bare helligdagene hoppes over. Skriv «ferie» for å legge dem inn.');
  });

  it('without school holidays, a weekly Tuesday plan for Nordby skole sends on 23 December', async () => {
    const card = invokeCard(await h.send(ola.act('plan.save', weeklyPlan())));
    expect(card).toContain('Planen er lagret');
    expect(card).toContain('tirsdag 23. desember kl. 14:00');
    planId = (await h.db.prisma.pulsePlan.findFirstOrThrow()).id;
  });

  it('staff are refused; bad dates and a last day before the first are explained in the person’s language; nothing is stored', async () => {
    expect(await reply(kari, 'ferie 21.12.2031-01.01.2032 Juleferie')).toBe('Bare ledere og koordinatorer kan se og endre skoleruta for enhetene sine.');
    expect(await reply(ola, 'ferie 32.12.2031 Juleferie')).toContain('«32.12.2031» er ikke en dato jeg forstår.');
    expect(await reply(ola, 'ferie 01.01.2032-21.12.2031 Juleferie')).toContain('Siste dag (21.12.2031) er før første dag (01.01.2032).');
    expect(await reply(emma, 'add holiday 2031-12-21 to 2031-12-19 Christmas')).toContain('The last day (19.12.2031) is before the first day (21.12.2031).');
    expect(await reply(nils, 'ferie 21.13.2031')).toContain('«21.13.2031» er ikkje ein dato eg forstår.');
    expect(await reply(ola, 'ferie 01.01.2031-31.12.2031 Hele året')).toContain('En ferie kan vare høyst 92 dager, og denne varer 365.');
    expect(await holidayCount()).toBe(0);
  });

  it('a leader of another school cannot change the kommune’s skolerute', async () => {
    expect(await reply(lise, 'ferie 21.12.2031-01.01.2032 Juleferie for Fjordvik kommune')).toContain('og Fjordvik kommune er ikke en av dem');
    expect(await reply(ola, 'ferie 21.12.2031 Noe for Ukjent skole')).toContain('er lagt inn i skoleruta for Organisasjon'); // «for Ukjent skole» is part of the name
    await h.send(ola.say('fjern ferie 21.12.2031'));
    expect(await holidayCount()).toBe(0);
  });

  it('a leader adds the kommune’s juleferie; adding it again changes nothing; it is audited', async () => {
    expect(await reply(ola, 'ferie 21.12.2031-01.01.2032 Juleferie for Fjordvik kommune')).toBe(
      '21.12.2031–01.01.2032 Juleferie er lagt inn i skoleruta for Fjordvik kommune. Planer som hopper over ferier, sender ikke pulser da – heller ikke til enhetene under.',
    );
    expect(await reply(nils, 'ferie 21.12.2031-01.01.2032 Juleferie')).toBe('Fjordvik kommune har alt ein ferie 21.12.2031–01.01.2032. Ingenting er endra.');
    const rows = await h.db.prisma.unitHoliday.findMany();
    expect(rows.map((r) => [r.unitId, r.fromDate.toISOString().slice(0, 10), r.toDate.toISOString().slice(0, 10), r.name, r.source])).toEqual([[ids.kommune, '2031-12-21', '2032-01-01', 'Juleferie', 'command']]);
    const audit = await h.db.prisma.auditEntry.findMany({ where: { action: 'holiday.added' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.target, a.details])).toEqual([
      [expect.any(String), { from: '2031-12-21', to: '2031-12-21' }],
      [ids.kommune, { from: '2031-12-21', to: '2032-01-01' }],
    ]);
  });

  it('«ferie» lists the school’s holidays with the kommune’s, in Norwegian and English', async () => {
    expect(await reply(ola, 'ferie Nordby skole')).toContain('Skolerute for Nordby skole, de neste 12 månedene:\n\n- 21.12.2031–01.01.2032 Juleferie (fra Fjordvik kommune)');
    expect(await reply(emma, 'holidays')).toContain('School holidays of Fjordvik kommune, the next 12 months:\n\n- 21.12.2031–01.01.2032 Juleferie\n\n');
    expect(await reply(ola, 'skolerute Sørby skole')).toContain('Sørby skole har ingen skoleferier registrert de neste 12 månedene.');
  });

  it('the plan now skips 23 and 30 December, in the confirmation’s next three sends', async () => {
    const card = invokeCard(await h.send(ola.act('plan.save', weeklyPlan({ planId }))));
    expect(card).toContain('Planen er endret');
    expect(card).toContain('tirsdag 9. desember kl. 14:00');
    expect(card).toContain('tirsdag 16. desember kl. 14:00');
    expect(card).toContain('tirsdag 6. januar kl. 14:00');
    expect(card).not.toContain('23. desember');
    // Only Sørby skole is left without a skolerute.
    expect(await reply(ola, 'ny plan')).toContain('Ingen skolerute er registrert for Sørby skole. Skriv «ferie» for å legge den inn.');
  });

  it('a planned time that has become a holiday sends nothing, and the plan moves on to 6 January', async () => {
    // As if the juleferie had been imported (npm run holidays:add) while the plan already waited for 23 December.
    await h.db.prisma.pulsePlan.update({ where: { id: planId }, data: { nextRunAt: at('2031-12-23') } });
    setClock(at('2031-12-23'));
    await firePlan(h.deps, planId, at('2031-12-23').toISOString());
    expect(await h.db.prisma.pulse.count({ where: { planId } })).toBe(0);
    expect((await h.db.prisma.pulsePlan.findUniqueOrThrow({ where: { id: planId } })).nextRunAt).toEqual(at('2032-01-06'));
    setClock(at('2031-12-01', '09:00'));
  });

  it('removing the juleferie moves the plan back to 23 December and is audited', async () => {
    await h.db.prisma.pulsePlan.update({ where: { id: planId }, data: { nextRunAt: at('2032-01-06') } });
    setClock(at('2031-12-17', '09:00'));
    expect(await reply(emma, 'remove holiday 21.12.2031-01.01.2032')).toBe('The holiday 21.12.2031–01.01.2032 was removed from the school holidays of Fjordvik kommune.');
    expect(await reply(emma, 'remove holiday 21.12.2031-01.01.2032')).toBe('Fjordvik kommune has no holiday 21.12.2031–01.01.2032. Type “holidays” to see the school holidays.');
    expect((await h.db.prisma.pulsePlan.findUniqueOrThrow({ where: { id: planId } })).nextRunAt).toEqual(at('2031-12-23'));
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'holiday.removed', target: ids.kommune } })).toBe(1);
    expect(await holidayCount()).toBe(0);
  });
});
