import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPulseContent } from '../../src/domain/pulse-content.ts';
import { loadQuestionBank } from '../../src/question-bank/load-question-bank.ts';
import { closePulse } from '../../src/services/pulse-closing.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { invokeCard, teamsUser } from '../helpers/people.ts';

// One story: results of «Læringsmiljø – behov» are published for Nordby
// skole; its leader sends a check-back round to exactly the people who got
// that pulse (not to others), once; staff cannot; the round closes and its
// results are «resultater» like any pulse, titled as a check-back of it.
//
// The clock is set to 2031 so that the close job the app queues never runs
// during the test; the test closes the pulse itself.
let h: Harness;
const rektor = teamsUser('cb-rektor', { name: 'Rita Rektor' });
const staff = ['a', 'b', 'c', 'd', 'e'].map((k) => teamsUser(`cb-staff-${k}`));
const outsider = teamsUser('cb-outsider', { name: 'Otto Utenfor' });
const now = new Date('2031-11-10T09:00:00Z');
let nordby = '';
let originalId = '';

const lastText = () => {
  const a = h.connector.sentActivities().at(-1)!;
  return a.text ?? JSON.stringify(a.attachments?.[0]?.content);
};
/** Pulse cards the bot posted into a person's 1:1 chat. */
const pulseCardsTo = (conversationId: string) =>
  h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === conversationId && /\/activities/.test(c.path) && JSON.stringify(c.body).includes('"verb":"pulse.answer"')).map((c) => JSON.stringify(c.body));
const checkBacks = () => h.db.prisma.pulse.findMany({ where: { checkBackOfId: originalId } });

beforeAll(async () => {
  h = await startHarness();
  h.deps.clock = () => now;
  for (const u of [rektor, ...staff, outsider]) await h.send(u.install());
  const prisma = h.db.prisma;
  const tenant = await prisma.tenant.findFirstOrThrow();
  const root = await prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } });
  nordby = (await prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: 'Nordby skole', schoolLevel: 'ungdomstrinn' } })).id;
  await h.send(rektor.say('rolle meg leder Nordby skole'));

  // The original pulse, answered by five staff (k = 5) and published two days ago.
  const content = buildPulseContent(loadQuestionBank(), 'laringsmiljo-1');
  const closesAt = new Date(now.getTime() - 2 * 86_400_000);
  const original = await prisma.pulse.create({
    data: { tenantId: tenant.id, unitId: nordby, templateId: content.templateId, bankVersion: content.bankVersion, content: content as object, status: 'published', opensAt: new Date(closesAt.getTime() - 7 * 86_400_000), closesAt },
  });
  originalId = original.id;
  for (const u of staff) {
    const person = await prisma.person.findFirstOrThrow({ where: { teamsUserId: u.from.id } });
    await prisma.person.update({ where: { id: person.id }, data: { staffRole: 'teacher', profileSavedAt: now } });
    await prisma.pulseRecipient.create({ data: { pulseId: original.id, personId: person.id, answeredAt: closesAt } });
    await prisma.answer.createMany({
      data: content.items.filter((i) => i.scale).map((i) => ({ pulseId: original.id, personId: person.id, itemId: i.id, value: 3, staffRole: 'teacher' as const, schoolId: nordby, answeredAt: closesAt })),
    });
  }
});
afterAll(async () => {
  await h?.close();
});

describe('check-back round over HTTP', () => {
  it('staff are refused, by command and by a forged «Send»', async () => {
    await h.send(staff[0]!.say('sjekk tilbake'));
    expect(lastText()).toContain('Bare ledere og koordinatorer kan sende en tilbakemeldingsrunde');
    const card = invokeCard(await h.send(staff[0]!.act('checkBack.send', { pulseIds: originalId, window: '1w' })));
    expect(card).toContain('Bare ledere og koordinatorer kan sende en tilbakemeldingsrunde');
    expect(invokeCard(await h.send(staff[0]!.act('checkBack.send', { pulseIds: 'not-a-pulse', window: '1w' })))).toContain('Jeg kjente ikke igjen valgene');
    expect(await checkBacks()).toHaveLength(0);
  });

  it('a leader gets a confirmation card: which pulse, how many (the same) people, what they are asked, the answer window', async () => {
    await h.send(rektor.say('sjekk tilbake'));
    const card = lastText();
    expect(card).toContain('Sjekk tilbake: «Læringsmiljø – behov»');
    expect(card).toContain('Send ett kort til de samme 5 personene som fikk «Læringsmiljø – behov» (Nordby skole, stengt');
    expect(card).toContain('Gir resultatene mening for deg?');
    expect(card).toContain('"verb":"checkBack.send"');
    expect(card).toContain(`"data":{"pulseIds":"${originalId}"}`);
    expect(card).toContain('"id":"window","label":"Svarfrist","style":"compact","value":"1w"');
    for (const w of ['2h', '2w']) expect(card).toContain(`"value":"${w}"`);
    expect(await checkBacks()).toHaveLength(0); // nothing is sent before the leader confirms
  });

  it('«Send», pressed twice at once, opens one check-back to exactly the original recipients, with the chosen window', async () => {
    h.connector.reset();
    const [first, second] = await Promise.all([
      h.send(rektor.act('checkBack.send', { pulseIds: originalId, window: '3d' })),
      h.send(rektor.act('checkBack.send', { pulseIds: originalId, window: '3d' })),
    ]);
    const replies = [invokeCard(first), invokeCard(second)].join('\n');
    expect(replies).toContain('Tilbakemeldingsrunden om «Læringsmiljø – behov» er sendt til 5 personer.');
    const rows = await checkBacks();
    expect(rows).toHaveLength(1);
    const cb = rows[0]!;
    expect(cb).toMatchObject({ templateId: 'tilbakemelding', unitId: nordby, status: 'open', onClose: 'publish' });
    expect(cb.closesAt.toISOString()).toBe(new Date(now.getTime() + 3 * 86_400_000).toISOString());
    const recipients = await h.db.prisma.pulseRecipient.findMany({ where: { pulseId: cb.id }, include: { person: true } });
    expect(recipients.map((r) => r.person.teamsUserId).sort()).toEqual(staff.map((u) => u.from.id).sort());
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'checkBack.started', target: cb.id } })).toBe(1);

    await h.settle();
    for (const u of staff) {
      const cards = pulseCardsTo(u.conversationId);
      expect(cards, u.conversationId).toHaveLength(1);
      // The card says which results it is about (the title is data, snapshotted with the pulse).
      expect(cards[0]).toContain('Tilbakemelding på «Læringsmiljø – behov»');
      expect(cards[0]).toContain('Er resultatene slik du hadde ventet?');
    }
    expect(pulseCardsTo(outsider.conversationId)).toHaveLength(0);
    expect(pulseCardsTo(rektor.conversationId)).toHaveLength(0);
  });

  it('a second check-back for the same pulse is refused politely, by command and by a stale card', async () => {
    await h.send(rektor.say('tilbakemelding'));
    expect(lastText()).toContain('Det er allerede sendt en tilbakemeldingsrunde om resultatene fra «Læringsmiljø – behov»');
    expect(invokeCard(await h.send(rektor.act('checkBack.send', { pulseIds: originalId, window: '1w' })))).toContain('Det er allerede sendt en tilbakemeldingsrunde');
    expect(await checkBacks()).toHaveLength(1);
    // While the check-back is open, «resultater» still shows the results it asks about.
    await h.send(rektor.say('resultater'));
    expect(lastText()).toContain('Resultater: Læringsmiljø – behov');
  });

  it('its results are a pulse like any other: the close summary and «resultater» say it is a check-back of «X»', async () => {
    const cb = (await checkBacks())[0]!;
    for (const [i, u] of staff.entries()) {
      const answer = { pulseId: cb.id, 'checkback-makes-sense': i < 4 ? '4' : '2', 'checkback-as-expected': '3' };
      expect(invokeCard(await h.send(u.act('pulse.answer', answer)))).toContain('Takk! Svarene dine er lagret.');
    }
    h.deps.clock = () => new Date(cb.closesAt.getTime() + 60_000);
    h.connector.reset();
    await closePulse(h.deps, cb.id);
    const toRektor = h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === rektor.conversationId).map((c) => JSON.stringify(c.body));
    expect(toRektor).toHaveLength(1);
    expect(toRektor[0]).toContain('Resultater: Tilbakemelding på «Læringsmiljø – behov»');
    // 4 of 5 answered 4–5 to the first question: the card shows that, not «no themes» —
    // as «minst 80 %», since with 5 answers «100 %» would tell what each of them said.
    expect(toRektor[0]).toContain('Gir resultatene mening for deg? minst 80 % svarte 4–5');

    // The check-back closed last, so it is now the latest round.
    await h.send(rektor.say('resultater'));
    const card = lastText();
    expect(card).toContain('Resultater: Tilbakemelding på «Læringsmiljø – behov»');
    expect(card).toContain('Nordby skole');
    expect(card).not.toContain('Ingen temaer å vise');

    // «sjekk tilbake» now finds a check-back round as the latest: no check-back of a check-back.
    await h.send(rektor.say('sjekk tilbake'));
    expect(lastText()).toContain('Det er allerede sendt en tilbakemeldingsrunde om resultatene fra «Læringsmiljø – behov»');
    expect(await h.db.prisma.pulse.count({ where: { templateId: 'tilbakemelding' } })).toBe(1);
  });
});
