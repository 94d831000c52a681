import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { invokeCard, teamsUser } from '../helpers/people.ts';

// One story, in order, as in the issue: first contact → profile → a leader
// starts a pulse → answer → receipt → change → duplicate → text answer →
// invalid values → late answer.
let h: Harness;
const ola = teamsUser('ola', { name: 'Ola Rektor' });
const kari = teamsUser('kari', { name: 'Kari Nordmann' });
const per = teamsUser('per', { name: 'Per Hansen' });
const nils = teamsUser('nils', { name: 'Nils Nykommer' });
let pulseId = '';
const realClock = () => new Date();

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const lastText = () => {
  const a = h.connector.sentActivities().at(-1)!;
  return a.text ?? JSON.stringify(a.attachments?.[0]?.content);
};
const answerRows = async (key: string) => {
  const person = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: `29:1${key}` } });
  return h.db.prisma.answer.findMany({ where: { personId: person.id }, orderBy: { itemId: 'asc' } });
};
const fullAnswer = { 'competence-digitale-krenkelser': '2', 'importance-digitale-krenkelser': '5', 'competence-negativ-sosial-kontroll': '1', 'importance-negativ-sosial-kontroll': '4', 'competence-sarbare-elever': '3', 'importance-sarbare-elever': '5' };

describe('check-in flow over HTTP', () => {
  it('the first installer becomes admin and can make themself leader', async () => {
    await h.send(ola.install());
    await h.send(ola.say('rolle meg leder'));
    expect(lastText()).toBe('Ola Rektor er nå leder for Organisasjon.');
  });

  it('a staff member gets the profile card on first contact and saves a profile', async () => {
    h.connector.reset();
    await h.send(kari.install());
    expect(JSON.stringify(h.connector.sentActivities()[1])).toContain('Profilen din');
    const res = await h.send(kari.act('profile.save', { staffRole: 'child_youth_worker', schoolLevel: 'barnetrinn', pupilGroups: 'acting_out,bullied', language: '' }));
    expect(invokeCard(res)).toContain('Profilen din er lagret: Barne- og ungdomsarbeider · Barnetrinn');
    const person = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: '29:1kari' } });
    expect(person).toMatchObject({ staffRole: 'child_youth_worker', schoolLevel: 'barnetrinn', pupilGroups: ['acting_out', 'bullied'] });
    expect(person.profileSavedAt).not.toBeNull();
  });

  it('an invalid profile is shown again with a message and nothing is saved', async () => {
    await h.send(per.install());
    const res = await h.send(per.act('profile.save', { staffRole: 'astronaut', schoolLevel: '', pupilGroups: '' }));
    expect(invokeCard(res)).toContain('Noe i skjemaet var ugyldig');
    const person = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: '29:1per' } });
    expect(person.staffRole).toBeNull();
    expect(person.profileSavedAt).toBeNull();
  });

  it('staff cannot start a pulse, by command or by a forged card action', async () => {
    await h.send(kari.say('start puls laringsmiljo-1'));
    expect(lastText()).toContain('Bare ledere og koordinatorer kan starte pulser');
    const forged = await h.send(kari.act('pulse.start', { templateId: 'laringsmiljo-1', unitId: '00000000-0000-4000-8000-000000000000', window: '1w' }));
    expect(invokeCard(forged)).toContain('Bare ledere og koordinatorer');
    expect(await h.db.prisma.pulse.count()).toBe(0);
  });

  it('a leader starts a pulse and each person gets the card in their 1:1 chat', async () => {
    h.connector.reset();
    await h.send(ola.say('start puls laringsmiljo-1'));
    await h.settle();
    // The starter's message shows progress and is updated in place until everything is sent.
    const progress = () => h.connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === ola.conversationId);
    await expect.poll(() => JSON.stringify(progress().at(-1)?.body), { timeout: 10_000 }).toMatch(/Pulsen «Læringsmiljø – behov» er sendt til 3 av 3 i Organisasjon\. Den stenger .+ kl\. \d\d:\d\d\./);
    const cards = h.connector.calls.filter((c) => c.method === 'POST' && /\/activities/.test(c.path) && JSON.stringify(c.body).includes('"verb":"pulse.answer"'));
    expect(cards.map((c) => c.conversationId).sort()).toEqual([kari.conversationId, ola.conversationId, per.conversationId].sort());
    const proactive = cards;
    const kariCard = JSON.stringify(proactive.find((c) => c.conversationId === kari.conversationId)!.body);
    expect(kariCard).toContain('Svarene dine vises bare samlet for grupper på minst 5 personer');
    expect(kariCard).toContain('"verb":"pulse.answer"');
    expect(kariCard).toContain('svar 4 5 3 2 4 5');
    expect(kariCard).not.toContain('"id":"staffRole"'); // Kari has a profile
    const perCard = JSON.stringify(proactive.find((c) => c.conversationId === per.conversationId)!.body);
    expect(perCard).toContain('"id":"staffRole"'); // Per has none, so the card asks once
    const pulse = await h.db.prisma.pulse.findFirstOrThrow();
    pulseId = pulse.id;
    expect(pulse.status).toBe('open');
    expect(await h.db.prisma.outbox.count({ where: { pulseId, kind: 'pulse', status: 'sent' } })).toBe(3);
  });

  it('a submission with a missing answer is shown again with values kept and the problem marked; nothing is stored', async () => {
    const { 'importance-sarbare-elever': _omit, ...partial } = fullAnswer;
    const card = invokeCard(await h.send(kari.act('pulse.answer', { pulseId, ...partial, comment: 'Mer tid i fellestiden' })));
    expect(card).toContain('Noe mangler eller er feil');
    expect(card).toContain('Velg et svar.');
    expect(card).toContain('"value":"Mer tid i fellestiden"');
    expect(card).toContain('"id":"competence-digitale-krenkelser","style":"expanded","value":"2"');
    expect(await answerRows('kari')).toHaveLength(0);
  });

  it('out-of-range and non-numeric values and an over-long comment are refused', async () => {
    const card = invokeCard(await h.send(kari.act('pulse.answer', { pulseId, ...fullAnswer, 'competence-sarbare-elever': '7', 'importance-sarbare-elever': 'fem', comment: 'x'.repeat(1001) })));
    expect(card).toContain('Svaret må være fra 1 til 5.');
    expect(card).toContain('Svaret må være et tall fra 1 til 5.');
    expect(card).toContain('Kommentaren kan være på høyst 1000 tegn.');
    expect(await answerRows('kari')).toHaveLength(0);
  });

  it('a valid submission is stored with the profile snapshot and answered with a receipt that offers "Endre svar"', async () => {
    const res = await h.send(kari.act('pulse.answer', { pulseId, ...fullAnswer, comment: 'Mer tid i fellestiden', unexpected: 'ignored' }));
    const card = invokeCard(res);
    expect(card).toContain('Takk! Svarene dine er lagret.');
    expect(card).toContain('5 – ');
    expect(card).toContain('Endre svar');
    const rows = await answerRows('kari');
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.staffRole === 'child_youth_worker' && r.schoolLevel === 'barnetrinn')).toBe(true);
    expect(rows.find((r) => r.itemId === 'comment')!.comment).toBe('Mer tid i fellestiden');
    expect(rows.find((r) => r.itemId === 'competence-negativ-sosial-kontroll')!.value).toBe(1);
    expect(rows.some((r) => r.itemId === 'unexpected')).toBe(false);
  });

  it('Teams resending the same activity does not create duplicates', async () => {
    const activity = { ...kari.act('pulse.answer', { pulseId, ...fullAnswer, comment: 'Mer tid i fellestiden' }), id: 'same-activity-id' };
    await h.send(activity);
    await h.send(activity);
    expect(await answerRows('kari')).toHaveLength(7);
  });

  it('"Endre svar" shows the card filled in, and a changed answer replaces the old one', async () => {
    const edit = invokeCard(await h.send(kari.act('pulse.edit', { pulseId })));
    expect(edit).toContain('"id":"competence-negativ-sosial-kontroll","style":"expanded","value":"1"');
    expect(edit).toContain('"value":"Mer tid i fellestiden"');
    await h.send(kari.act('pulse.answer', { pulseId, ...fullAnswer, 'competence-negativ-sosial-kontroll': '3', comment: '' }));
    const rows = await answerRows('kari');
    expect(rows).toHaveLength(6); // the removed comment is gone, nothing counted twice
    expect(rows.find((r) => r.itemId === 'competence-negativ-sosial-kontroll')!.value).toBe(3);
  });

  it('a person can answer by text ("svar 4 5 3 …") with the same validation', async () => {
    await h.send(per.say('svar 4 5'));
    expect(lastText()).toBe('Pulsen «Læringsmiljø – behov» har 6 spørsmål, så jeg trenger 6 tall (ett per spørsmål), men fikk 2. Eksempel: «svar 4 5 3 2 4 5».');
    await h.send(per.say('svar 9 5 3 2 4 0'));
    expect(lastText()).toBe('Svar nummer 1, 6 må være fra 1 til 5. Ingenting er lagret – prøv igjen.');
    expect(await answerRows('per')).toHaveLength(0);
    await h.send(per.say('svar 4 5 3 2 4 5 vi trenger kurs i fellestiden'));
    expect(lastText()).toContain('Takk! Svarene dine er lagret.');
    const rows = await answerRows('per');
    expect(rows).toHaveLength(7);
    expect(rows.find((r) => r.itemId === 'comment')!.comment).toBe('vi trenger kurs i fellestiden');
    expect(rows.every((r) => r.staffRole === null)).toBe(true);
  });

  it('a text answer marks the earlier pulse card or receipt above it as replaced', async () => {
    // Kari answered on the card (now a receipt with «Endre svar»); then she answers by text.
    const person = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: '29:1kari' } });
    const cards = await h.deps.outbox.sentCards(pulseId, person.id);
    expect(cards.length).toBeGreaterThan(0);
    const before = h.connector.calls.length;
    await h.send(kari.say('svar 3 4 3 4 3 4'));
    const updates = h.connector.calls.slice(before).filter((c) => c.method === 'PUT');
    expect(updates.map((c) => c.path)).toEqual(cards.map((c) => expect.stringContaining(encodeURIComponent(c.activityId))));
    const replaced = JSON.stringify(updates[0]!.body);
    expect(replaced).toContain('Erstattet av svarene du sendte');
    expect(replaced).not.toContain('Endre svar');
    expect(lastText()).toContain('Takk! Svarene dine er lagret.');
  });

  it('someone who was not sent the pulse cannot answer it', async () => {
    await h.send(nils.install());
    const card = invokeCard(await h.send(nils.act('pulse.answer', { pulseId, ...fullAnswer })));
    expect(card).toContain('Denne pulsen ble ikke sendt til deg');
    await h.send(nils.say('svar 1 2 3 4 5 1'));
    expect(lastText()).toBe('Du har ingen åpen puls å svare på akkurat nå.');
    expect(await answerRows('nils')).toHaveLength(0);
  });

  it('a late answer after close gets a clear message and is not stored', async () => {
    const pulse = await h.db.prisma.pulse.findUniqueOrThrow({ where: { id: pulseId } });
    h.deps.clock = () => new Date(pulse.closesAt.getTime() + 60_000);
    try {
      const card = invokeCard(await h.send(kari.act('pulse.answer', { pulseId, ...fullAnswer, 'competence-negativ-sosial-kontroll': '5' })));
      expect(card).toContain('er stengt, så svaret ble ikke lagret');
      expect((await answerRows('kari')).find((r) => r.itemId === 'competence-negativ-sosial-kontroll')!.value).toBe(3);
      await h.send(per.say('svar 1 1 1 1 1 1'));
      expect(lastText()).toBe('Du har ingen åpen puls å svare på akkurat nå.');
    } finally {
      h.deps.clock = realClock;
    }
  });

  it('an unknown card verb gets a readable card', async () => {
    expect(invokeCard(await h.send(kari.act('results.hack', { pulseId })))).toContain('Denne knappen kjenner jeg ikke igjen');
  });

  it('the database holds exactly one answer per person and item', async () => {
    const rows = await h.db.prisma.answer.groupBy({ by: ['personId', 'itemId'], _count: true });
    expect(rows.every((r) => r._count === 1)).toBe(true);
    expect(await h.db.prisma.answer.count()).toBe(13);
  });
});
