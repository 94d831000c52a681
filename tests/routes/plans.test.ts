import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osloLocalToInstant } from '../../src/domain/schedule.ts';
import { firePlan } from '../../src/services/plan-runner.ts';
import { closePulse, remindPulse } from '../../src/services/pulse-closing.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { invokeCard, teamsUser } from '../helpers/people.ts';

// One story, in order: a leader plans a weekly pulse, lists, edits, pauses
// and resumes it; forged verbs change nothing; the plan fires (once), staff
// answer, reminders reach only non-responders, the pulse closes and the
// leader hears the response rate; then the plan is cancelled.
//
// The clock is set to 2031 so that the jobs the app queues for the plan's
// real times never run during the test; the test fires them itself.
let h: Harness;
const ola = teamsUser('ola', { name: 'Ola Rektor' });
const kari = teamsUser('kari', { name: 'Kari Nordmann' });
const per = teamsUser('per', { name: 'Per Hansen' });
const at = (date: string, time: string) => osloLocalToInstant(date, time);
const setClock = (d: Date) => {
  h.deps.clock = () => d;
};
const fullAnswer = { 'competence-digitale-krenkelser': '2', 'importance-digitale-krenkelser': '5', 'competence-negativ-sosial-kontroll': '1', 'importance-negativ-sosial-kontroll': '4', 'competence-sarbare-elever': '3', 'importance-sarbare-elever': '5' };

let rootUnitId = '';
let planId = '';
let pulseId = '';

const weeklyPlan = (over: Record<string, unknown> = {}) => ({
  planId: '',
  templateId: 'laringsmiljo-1',
  unitId: rootUnitId,
  roles: '',
  firstDate: '2031-09-10',
  time: '14:00',
  recurrence: 'weekly',
  window: '3d',
  reminders: 'after1d,before1d',
  maxReminders: '2',
  onClose: 'publish',
  skipHolidays: 'true',
  ...over,
});

const lastText = () => {
  const a = h.connector.sentActivities().at(-1)!;
  return a.text ?? JSON.stringify(a.attachments?.[0]?.content);
};
const plan = () => h.db.prisma.pulsePlan.findUniqueOrThrow({ where: { id: planId } });
/** Cards the bot posted proactively into people's 1:1 chats (pulse cards and reminders). */
const pulseCardsTo = (conversationId: string, kind: 'pulse' | 'reminder') =>
  h.connector.calls.filter((c) => {
    const body = JSON.stringify(c.body);
    return c.method === 'POST' && c.conversationId === conversationId && /\/activities/.test(c.path) && body.includes('"verb":"pulse.answer"') && body.includes('Påminnelse') === (kind === 'reminder');
  });

beforeAll(async () => {
  h = await startHarness();
  setClock(at('2031-09-08', '09:00')); // a Monday
  await h.send(ola.install());
  await h.send(ola.say('rolle meg leder'));
  await h.send(kari.install());
  await h.send(kari.act('profile.save', { staffRole: 'teacher', schoolLevel: 'barnetrinn', pupilGroups: 'acting_out,bullied', language: '' }));
  await h.send(per.install());
  await h.send(per.act('profile.save', { staffRole: 'child_youth_worker', schoolLevel: 'barnetrinn', pupilGroups: 'acting_out,bullied', language: '' }));
  rootUnitId = (await h.db.prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } })).id;
});
afterAll(async () => {
  await h?.close();
});

describe('pulse plans over HTTP', () => {
  it('help lists the new commands for a leader', async () => {
    await h.send(ola.say('hjelp'));
    const help = JSON.stringify(h.connector.sentActivities().find((a) => JSON.stringify(a).includes('Dette kan jeg hjelpe deg med')));
    for (const command of ['ny plan', 'planer', 'status']) expect(help).toContain(`"${command}"`);
  });

  it('"ny plan" gives a leader the plan form, prefilled with next Wednesday 14:00', async () => {
    await h.send(ola.say('ny plan laringsmiljo-1'));
    const card = lastText();
    expect(card).toContain('Planlegg pulser');
    expect(card).toContain('"verb":"plan.save"');
    expect(card).toContain('"id":"firstDate","label":"Første utsending","value":"2031-09-10"');
    expect(card).toContain('"id":"time","label":"Klokkeslett","value":"14:00"');
    expect(card).toContain('"id":"templateId","label":"Hvilken puls?","style":"compact","value":"laringsmiljo-1"');
  });

  it('staff get a refusal, by command and by a forged plan.save', async () => {
    await h.send(kari.say('planlegg'));
    expect(lastText()).toContain('Bare ledere og koordinatorer kan planlegge pulser');
    expect(invokeCard(await h.send(kari.act('plan.save', weeklyPlan())))).toContain('Bare ledere og koordinatorer kan planlegge pulser');
    expect(await h.db.prisma.pulsePlan.count()).toBe(0);
  });

  it('an invalid plan comes back with the problem explained and the values kept; nothing is stored', async () => {
    const card = invokeCard(await h.send(ola.act('plan.save', weeklyPlan({ window: '1w' }))));
    expect(card).toContain('Planen er ikke lagret');
    expect(card).toContain('Svarfristen «1 uke» er for lang når pulsen sendes hver uke');
    expect(card).toContain('"value":"1w"');
    const past = invokeCard(await h.send(ola.act('plan.save', weeklyPlan({ firstDate: '2031-09-01' }))));
    expect(past).toContain('Første utsending må være fram i tid.');
    expect(await h.db.prisma.pulsePlan.count()).toBe(0);
  });

  it('a leader saves a weekly plan: stored with its next run next Wednesday 14:00 Oslo, confirmed with the next three sends', async () => {
    const card = invokeCard(await h.send(ola.act('plan.save', weeklyPlan())));
    expect(card).toContain('Planen er lagret');
    expect(card).toContain('«Læringsmiljø – behov» til Organisasjon: Hver onsdag kl. 14:00. Svarfrist: 3 dager.');
    expect(card).toContain('onsdag 10. september kl. 14:00');
    expect(card).toContain('onsdag 17. september kl. 14:00');
    expect(card).toContain('onsdag 24. september kl. 14:00');
    const row = await h.db.prisma.pulsePlan.findFirstOrThrow();
    planId = row.id;
    expect(row).toMatchObject({ status: 'active', recurrence: 'weekly', windowMinutes: 3 * 24 * 60, maxReminders: 2, skipHolidays: true, unitId: rootUnitId });
    expect(row.nextRunAt?.toISOString()).toBe('2031-09-10T12:00:00.000Z'); // 14:00 CEST
    expect(row.reminders).toEqual([{ kind: 'afterOpen', minutes: 1440 }, { kind: 'beforeClose', minutes: 1440 }]);
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'plan.created', target: planId } })).toBe(1);
  });

  it('"planer" lists it with its rhythm, next send and buttons', async () => {
    await h.send(ola.say('planer'));
    const card = lastText();
    expect(card).toContain('Planlagte pulser');
    expect(card).toContain('Læringsmiljø – behov');
    expect(card).toContain('Organisasjon (alle roller)');
    expect(card).toContain('Hver onsdag kl. 14:00');
    expect(card).toContain('onsdag 10. september kl. 14:00');
    expect(card).toContain('Ingen puls er sendt ennå.');
    for (const verb of ['plan.pause', 'plan.edit', 'plan.cancel']) expect(card).toContain(`"verb":"${verb}","data":{"planId":"${planId}"}`);
    expect(card).not.toContain('plan.resume');
  });

  it('"Endre" shows the form filled in, and saving it updates the plan', async () => {
    const form = invokeCard(await h.send(ola.act('plan.edit', { planId })));
    expect(form).toContain('Endre planen');
    expect(form).toContain(`"data":{"planId":"${planId}"}`);
    expect(form).toContain('"value":"2031-09-10"');
    expect(form).toContain('"id":"window","label":"Svarfrist","style":"compact","value":"3d"');
    expect(form).toContain('"value":"after1d,before1d"');
    const saved = invokeCard(await h.send(ola.act('plan.save', weeklyPlan({ planId, maxReminders: '1', roles: '' }))));
    expect(saved).toContain('Planen er endret');
    expect(await h.db.prisma.pulsePlan.count()).toBe(1);
    expect((await plan()).maxReminders).toBe(1);
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'plan.updated', target: planId } })).toBe(1);
  });

  it('forged verbs from staff, or for another tenant’s plan, are refused and change nothing', async () => {
    for (const verb of ['plan.pause', 'plan.cancel', 'plan.edit', 'plan.resume', 'plan.status']) {
      expect(invokeCard(await h.send(kari.act(verb, { planId }))), verb).toContain('Bare ledere og koordinatorer');
    }
    await h.send(kari.say('status'));
    expect(lastText()).toContain('Bare ledere og koordinatorer kan se svarprosent');
    await h.send(kari.say('planer'));
    expect(lastText()).toContain('Bare ledere og koordinatorer kan planlegge pulser');
    expect(invokeCard(await h.send(kari.act('plan.save', weeklyPlan({ planId, maxReminders: '3' }))))).toContain('Bare ledere og koordinatorer');
    expect(await plan()).toMatchObject({ status: 'active', maxReminders: 1 });

    const other = await h.deps.directory.ensureTenant('0a0b0c0d-0000-4000-8000-00000000ffff');
    const foreign = await h.deps.plans.create(
      { tenantId: other.id, unitId: other.rootUnitId, templateId: 'laringsmiljo-1', roleFilter: [], firstSendAt: at('2031-09-10', '14:00'), recurrence: 'weekly', endsAt: null, windowMinutes: 120, reminders: [], maxReminders: 0, onClose: 'publish', skipHolidays: true, createdById: null },
      at('2031-09-10', '14:00'),
    );
    for (const verb of ['plan.pause', 'plan.cancel', 'plan.edit', 'plan.status']) {
      expect(invokeCard(await h.send(ola.act(verb, { planId: foreign.id }))), verb).toContain('Jeg finner ikke den planen');
    }
    expect(invokeCard(await h.send(ola.act('plan.save', weeklyPlan({ planId: foreign.id }))))).toContain('Jeg finner ikke den planen');
    expect(invokeCard(await h.send(ola.act('plan.pause', { planId: 'not-a-uuid' })))).toContain('Jeg finner ikke den planen');
    const after = await h.db.prisma.pulsePlan.findUniqueOrThrow({ where: { id: foreign.id } });
    expect(after).toMatchObject({ status: 'active', tenantId: other.id, unitId: other.rootUnitId, windowMinutes: 120 });
    expect(await h.db.prisma.pulsePlan.count({ where: { tenantId: { not: other.id } } })).toBe(1);
  });

  it('pause stops it: the list says so, and its run does nothing', async () => {
    const card = invokeCard(await h.send(ola.act('plan.pause', { planId })));
    expect(card).toContain('Planen «Læringsmiljø – behov» står nå på pause.');
    expect(card).toContain('På pause');
    expect(card).toContain('"verb":"plan.resume"');
    expect(await plan()).toMatchObject({ status: 'paused', nextRunAt: null });
    // A second click on a stale card changes nothing.
    expect(invokeCard(await h.send(ola.act('plan.pause', { planId })))).toContain('Planen var allerede endret');

    setClock(at('2031-09-10', '14:00'));
    await firePlan(h.deps, planId, at('2031-09-10', '14:00').toISOString());
    expect(await h.db.prisma.pulse.count()).toBe(0);
  });

  it('resume starts again from now: the occurrence missed while paused is not sent', async () => {
    setClock(at('2031-09-11', '10:00'));
    const card = invokeCard(await h.send(ola.act('plan.resume', { planId })));
    expect(card).toContain('Planen «Læringsmiljø – behov» er i gang igjen. Neste utsending: onsdag 17. september kl. 14:00.');
    const row = await plan();
    expect(row.status).toBe('active');
    expect(row.nextRunAt?.toISOString()).toBe(at('2031-09-17', '14:00').toISOString());
  });

  it('the plan fires: one pulse even when run twice at once and once more, one card per person', async () => {
    const occurrence = at('2031-09-17', '14:00');
    setClock(occurrence);
    h.connector.reset();
    await Promise.all([firePlan(h.deps, planId, occurrence.toISOString()), firePlan(h.deps, planId, occurrence.toISOString())]);
    await firePlan(h.deps, planId, occurrence.toISOString());
    await h.settle();
    const pulses = await h.db.prisma.pulse.findMany({ where: { planId } });
    expect(pulses).toHaveLength(1);
    pulseId = pulses[0]!.id;
    expect(pulses[0]!.occurrence?.toISOString()).toBe(occurrence.toISOString());
    expect(pulses[0]!.closesAt.toISOString()).toBe(new Date(occurrence.getTime() + 3 * 24 * 3600_000).toISOString());
    expect(pulses[0]!.remindAt).toHaveLength(1); // max 1 reminder after the edit
    for (const person of [ola, kari, per]) expect(pulseCardsTo(person.conversationId, 'pulse'), person.conversationId).toHaveLength(1);
    expect((await plan()).nextRunAt?.toISOString()).toBe(at('2031-09-24', '14:00').toISOString());
  });

  it('reminders reach only those who have not answered', async () => {
    setClock(at('2031-09-17', '14:05'));
    expect(invokeCard(await h.send(kari.act('pulse.answer', { pulseId, ...fullAnswer })))).toContain('Takk! Svarene dine er lagret.');
    setClock(at('2031-09-18', '14:00'));
    await remindPulse(h.deps, pulseId, 1);
    await h.settle();
    expect(pulseCardsTo(kari.conversationId, 'reminder')).toHaveLength(0);
    expect(pulseCardsTo(ola.conversationId, 'reminder')).toHaveLength(1);
    expect(pulseCardsTo(per.conversationId, 'reminder')).toHaveLength(1);
    expect(await h.db.prisma.outbox.count({ where: { pulseId, kind: 'reminder', status: 'sent' } })).toBe(2);
  });

  it('"planer" shows the latest pulse in counts; with 3 recipients and k = 5 the answers are not shown', async () => {
    await h.send(ola.say('planer'));
    const card = lastText();
    expect(card).toContain('Siste puls, sendt onsdag 17. september kl. 14:00:');
    expect(card).toContain('Sendt til 3: 3 levert, 0 ikke levert.');
    expect(card).toContain('Svar og påminnelser: færre enn 5 mottakere, så tallene vises ikke.');
    expect(card).not.toMatch(/1 av 3/);
    expect(card).toContain('"verb":"plan.status"');
  });

  it('"status" gives the response rate per role, with groups under k shown as «færre enn k»', async () => {
    await h.send(ola.say('status'));
    const small = lastText();
    expect(small).toContain('Svarprosent');
    expect(small).toContain('«Læringsmiljø – behov» til Organisasjon');
    expect(small).toContain('færre enn 5');
    expect(small).not.toMatch(/\d+ av 3/);

    await h.db.prisma.tenant.updateMany({ data: { minGroupSize: 3 } });
    await h.send(ola.say('svarprosent'));
    const card = lastText();
    expect(card).toContain('Svar: 1 av 3 (33 %). Påminnelser sendt: 2.');
    expect(card).toContain('Per rolle');
    // Teacher (Kari), child and youth worker (Per), role unknown (Ola): one each, all under k = 3.
    expect(card).toContain('{"title":"Lærer","value":"færre enn 3"}');
    expect(card).toContain('{"title":"Barne- og ungdomsarbeider","value":"færre enn 3"}');
    expect(card).toContain('{"title":"Rolle ikke oppgitt","value":"færre enn 3"}');
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'responseRate.viewed', target: pulseId } })).toBe(2);

    h.connector.reset();
    const list = invokeCard(await h.send(ola.act('plan.status', { planId })));
    expect(list).toContain('Planlagte pulser');
    expect(JSON.stringify(h.connector.sentActivities())).toContain('Svar: 1 av 3 (33 %)');
  });

  // k is 3 from the previous test, so the exact counts in the notice are within the rule.
  it('closePulse closes it once and tells the leader the response rate', async () => {
    const pulse = await h.db.prisma.pulse.findUniqueOrThrow({ where: { id: pulseId } });
    setClock(new Date(pulse.closesAt.getTime() + 60_000));
    h.connector.reset();
    await closePulse(h.deps, pulseId);
    await closePulse(h.deps, pulseId);
    expect((await h.db.prisma.pulse.findUniqueOrThrow({ where: { id: pulseId } })).status).toBe('published');
    const toOla = h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === ola.conversationId && /\/activities/.test(c.path));
    expect(toOla).toHaveLength(1);
    expect(JSON.stringify(toOla[0]!.body)).toContain('Pulsen «Læringsmiljø – behov» for Organisasjon er stengt. 1 av 3 svarte (33 %).');
    expect(h.connector.calls.filter((c) => c.conversationId === kari.conversationId)).toHaveLength(0);
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'pulse.closed', target: pulseId } })).toBe(1);
  });

  it('cancel ends the plan: it leaves the list and its next run does nothing', async () => {
    const card = invokeCard(await h.send(ola.act('plan.cancel', { planId })));
    expect(card).toContain('Planen «Læringsmiljø – behov» er avlyst.');
    expect(card).toContain('Det er ingen aktive planer eller planer på pause for enhetene dine.');
    expect(await plan()).toMatchObject({ status: 'cancelled', nextRunAt: null });
    setClock(at('2031-09-24', '14:00'));
    await firePlan(h.deps, planId, at('2031-09-24', '14:00').toISOString());
    expect(await h.db.prisma.pulse.count({ where: { planId } })).toBe(1);
    // A stale "Gjenoppta" on an old card cannot bring it back.
    expect(invokeCard(await h.send(ola.act('plan.resume', { planId })))).toContain('Planen var allerede endret');
    expect((await plan()).status).toBe('cancelled');
  });
});
