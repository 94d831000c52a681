import { STORED_BREAKDOWNS } from '../../src/db/stored-tallies-repository.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startHarness, type Harness } from '../helpers/harness.ts';
import { invokeCard, teamsUser } from '../helpers/people.ts';
import { seedAnsweredPulse } from '../helpers/seed-pulse.ts';
import { translator } from '../../src/i18n/translate.ts';
import type { PulseContent } from '../../src/domain/pulse-content.ts';

// Right of access («mine data») and erasure («slett mine data», «slett person …»), and the audit export (issue 8).
let h: Harness;
const t = translator('nb');
const leader = teamsUser('rektor-pv', { name: 'Rita Rektor' }); // first installer: admin, then leader
const kari = teamsUser('kari-pv', { name: 'Kari Nordmann' });
const ola = teamsUser('ola-pv', { name: 'Ola Hansen' });
const per = teamsUser('per-pv', { name: 'Per Pedersen' });
let pulseId: string;
let content: PulseContent;
let schoolId: string;
let resultsBefore: string;

const last = () => h.connector.sentActivities().at(-1)!;
const lastJson = () => JSON.stringify(last());
const personId = async (key: string) => (await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: `29:1${key}` } })).id;
const resultsCard = async () => {
  await h.send(leader.say('resultater'));
  return JSON.stringify(last().attachments);
};
const tokenOf = (card: string) => /"token":"([^"]+)"/.exec(card)![1]!;

/** Every table that holds rows about one person. */
async function rowsOf(id: string) {
  const p = h.db.prisma;
  return {
    person: await p.person.count({ where: { id } }),
    answers: await p.answer.count({ where: { personId: id } }),
    recipients: await p.pulseRecipient.count({ where: { personId: id } }),
    outbox: await p.outbox.count({ where: { personId: id } }),
    conversations: await p.conversationRef.count({ where: { personId: id } }),
    memberships: await p.membership.count({ where: { personId: id } }),
    roles: await p.roleAssignment.count({ where: { personId: id } }),
  };
}

/** Someone who answered the published pulse as a teacher, with a comment, and has a membership and a delivery row. */
async function answerAsTeacher(id: string, value: (itemId: string) => number, comment: string) {
  const p = h.db.prisma;
  const answeredAt = new Date('2026-11-07T10:00:00Z');
  await p.person.update({ where: { id }, data: { staffRole: 'teacher' } });
  await p.pulseRecipient.create({ data: { pulseId, personId: id, answeredAt } });
  await p.outbox.create({ data: { tenantId: (await p.pulse.findUniqueOrThrow({ where: { id: pulseId } })).tenantId, pulseId, personId: id, kind: 'pulse', status: 'sent' } });
  await p.membership.create({ data: { personId: id, unitId: schoolId, source: 'teams' } });
  const commentItem = content.items.find((i) => i.scale === null)!;
  await p.answer.createMany({
    data: [
      ...content.items.filter((i) => i.scale).map((i) => ({ pulseId, personId: id, itemId: i.id, value: value(i.id), staffRole: 'teacher' as const, schoolLevel: 'ungdomstrinn' as const, schoolId, answeredAt })),
      { pulseId, personId: id, itemId: commentItem.id, value: null, comment, staffRole: 'teacher' as const, schoolLevel: 'ungdomstrinn' as const, schoolId, answeredAt },
    ],
  });
}

beforeAll(async () => {
  h = await startHarness();
  for (const u of [leader, kari, ola, per]) await h.send(u.install());
  await h.send(leader.say('rolle meg leder'));
  const prisma = h.db.prisma;
  const tenant = await prisma.tenant.findFirstOrThrow();
  const root = await prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } });
  schoolId = (await prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: 'Nordby skole', schoolLevel: 'ungdomstrinn' } })).id;
  ({ pulseId, content } = await seedAnsweredPulse(h.db, {
    unitId: schoolId,
    prefix: 'pv',
    groups: [
      ['teacher', 8, (item) => (item.startsWith('competence') ? 4 : 3)],
      ['child_youth_worker', 6, (item) => (item.startsWith('competence') ? 2 : 5)],
    ],
  }));
  await prisma.person.update({ where: { id: await personId('ola-pv') }, data: { email: 'ola@skole.no' } });
  // Kari and Ola answer very differently from the other teachers: dropping their rows would change the figures.
  await answerAsTeacher(await personId('kari-pv'), (item) => (item.startsWith('competence') ? 1 : 5), 'Kari sin kommentar om vikarer');
  await answerAsTeacher(await personId('ola-pv'), (item) => (item.startsWith('competence') ? 1 : 5), 'Ola sin kommentar om tid');
  resultsBefore = await resultsCard();
  expect(resultsBefore).toContain('16 svarte');
});
afterAll(async () => {
  await h?.close();
});

describe('mine data', () => {
  it('shows the person exactly their own data, and nobody else\'s', async () => {
    await h.send(kari.say('mine data'));
    const card = lastJson();
    expect(card).toContain('Dette er lagret om deg');
    expect(card).toContain('Navn: Kari Nordmann');
    expect(card).toContain('Rolle: Lærer');
    expect(card).toContain('Nordby skole (kilde: teams)');
    expect(card).toContain('Kari sin kommentar om vikarer');
    expect(card).toContain(`«${content.title.nb}»`);
    expect(card).toMatch(/svart \d+\. nov\. 2026/);
    expect(card).toContain('personlig chat');
    // Her own answers (value 1 on competence items), nobody else's.
    expect(card).toMatch(/: 1"/);
    expect(card).not.toContain('Ola');
    expect(card).not.toContain('Ansatt ');
    expect(card).not.toContain('Rita');
    const audit = await h.db.prisma.auditEntry.findMany({ where: { action: 'person.dataViewed' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorId).toBe(await personId('kari-pv'));
    expect(JSON.stringify(audit[0]!.details)).not.toContain('Kari');
  });

  it('answers only in personal chat', async () => {
    await h.send(fixture('personal-message', { from: kari.from, conversation: { id: '19:kanal-pv@thread.tacv2', conversationType: 'channel' }, locale: 'nb-NO', text: 'mine data' }));
    expect(last().text).toBe(t('privacy.personalOnly'));
    expect(last().attachments ?? []).toHaveLength(0);
  });

  it('understands nynorsk and English', async () => {
    await h.send(teamsUser('kari-pv', { name: 'Kari Nordmann', locale: 'nn-NO' }).say('mine data'));
    expect(lastJson()).toContain('Dette er lagra om deg');
    await h.send(teamsUser('kari-pv', { name: 'Kari Nordmann', locale: 'en-US' }).say('my data'));
    expect(lastJson()).toContain('This is stored about you');
  });
});

describe('slett mine data', () => {
  let card: string;
  let kariId: string;

  it('first shows what will be deleted, that published results stay, and a confirm button', async () => {
    kariId = await personId('kari-pv');
    await h.send(kari.say('slett mine data'));
    card = lastJson();
    expect(card).toContain(t('privacy.erase.titleSelf'));
    expect(card).toContain('resultater som allerede er publisert, endres ikke'.replace(/^r/, 'R'));
    expect(card).toContain('svarene (');
    expect(card).toContain('"verb":"privacy.eraseConfirm"');
    // Nothing is deleted yet.
    expect((await rowsOf(kariId)).answers).toBeGreaterThan(0);
  });

  it('a forged confirm from another user does nothing', async () => {
    const before = await rowsOf(kariId);
    const olaBefore = await rowsOf(await personId('ola-pv'));
    expect(invokeCard(await h.send(ola.act('privacy.eraseConfirm', { token: tokenOf(card) })))).toContain(t('privacy.erase.refused'));
    expect(invokeCard(await h.send(ola.act('privacy.eraseConfirm', { token: 'x.y' })))).toContain(t('privacy.erase.refused'));
    expect(await rowsOf(kariId)).toEqual(before);
    expect(await rowsOf(await personId('ola-pv'))).toEqual(olaBefore);
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'person.erased' } })).toBe(0);
  });

  it('confirming deletes every row about the person, and the leader\'s results card is unchanged', async () => {
    const before = await rowsOf(kariId);
    expect(before).toEqual({ person: 1, answers: content.items.length, recipients: 1, outbox: 1, conversations: 1, memberships: 1, roles: 0 });
    const reply = invokeCard(await h.send(kari.act('privacy.eraseConfirm', { token: tokenOf(card) })));
    expect(reply).toContain('Dataene dine er slettet');
    expect(await rowsOf(kariId)).toEqual({ person: 0, answers: 0, recipients: 0, outbox: 0, conversations: 0, memberships: 0, roles: 0 });
    expect(await h.db.prisma.answer.count({ where: { comment: 'Kari sin kommentar om vikarer' } })).toBe(0);
    // The published pulse's counts were stored before her answers went.
    expect(await h.db.prisma.pulseTally.count({ where: { pulseId } })).toBe(STORED_BREAKDOWNS.length);
    expect(await resultsCard()).toBe(resultsBefore);
    const audit = await h.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'person.erased' } });
    expect(audit.target).toBe(kariId);
    expect(JSON.stringify(audit.details)).not.toContain('kommentar');
    expect((audit.details as Record<string, unknown>).by).toBe('self');
  });

  it('the same button again changes nothing', async () => {
    const people = await h.db.prisma.person.count();
    expect(invokeCard(await h.send(kari.act('privacy.eraseConfirm', { token: tokenOf(card) })))).toContain(t('privacy.erase.refused'));
    // Kari's message recreated an empty person row (she is a new contact now), nothing else.
    expect(await h.db.prisma.person.count()).toBe(people + 1);
    expect(await h.db.prisma.answer.count({ where: { personId: await personId('kari-pv') } })).toBe(0);
  });
});

describe('slett person (admin)', () => {
  it('is refused for anyone who is not admin', async () => {
    await h.send(per.say('slett person ola@skole.no'));
    expect(last().text).toBe(t('privacy.erase.notAdmin'));
    expect(await h.db.prisma.person.count({ where: { email: 'ola@skole.no' } })).toBe(1);
  });

  it('an admin erases a person after confirming; audited with who did it; results unchanged', async () => {
    const olaId = await personId('ola-pv');
    await h.send(leader.say('slett person ola@skole.no'));
    const card = lastJson();
    expect(card).toContain('Slette alle data om Ola Hansen?');
    expect(card).not.toContain('Ola sin kommentar');
    // Someone else pressing the admin's button: nothing.
    expect(invokeCard(await h.send(per.act('privacy.eraseConfirm', { token: tokenOf(card) })))).toContain(t('privacy.erase.refused'));
    expect((await rowsOf(olaId)).person).toBe(1);
    expect(invokeCard(await h.send(leader.act('privacy.eraseConfirm', { token: tokenOf(card) })))).toContain('Ola Hansen er slettet');
    expect(await rowsOf(olaId)).toEqual({ person: 0, answers: 0, recipients: 0, outbox: 0, conversations: 0, memberships: 0, roles: 0 });
    const audit = await h.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'person.erased', target: olaId } });
    expect(audit.actorId).toBe(await personId('rektor-pv'));
    expect((audit.details as Record<string, unknown>).by).toBe('admin');
    expect(JSON.stringify(audit.details)).not.toMatch(/Ola|kommentar/);
    expect(await resultsCard()).toBe(resultsBefore);
  });

  it('says when nobody has that address, and how to use it', async () => {
    await h.send(leader.say('slett person ingen@skole.no'));
    expect(last().text).toBe(t('privacy.erase.notFound', { email: 'ingen@skole.no' }));
    await h.send(leader.say('slett person'));
    expect(last().text).toBe(t('privacy.erase.usage'));
  });
});

describe('eksport logg', () => {
  it('is admin only', async () => {
    await h.send(per.say('eksport logg'));
    expect(last().text).toBe(t('privacy.audit.notAdmin'));
  });

  it('gives admins a signed link to a semicolon CSV with BOM holding the audit log', async () => {
    await h.send(leader.say('eksport logg'));
    const url = /"url":"([^"]+)"/.exec(lastJson())![1]!;
    expect(url.startsWith(`${h.deps.config.export.publicBaseUrl}/export/audit/`)).toBe(true);
    const token = url.slice(url.lastIndexOf('/') + 1);
    const res = await fetch(`${h.baseUrl}/export/audit/${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Tidspunkt (Oslo);Handling;Utført av;Utført av (e-post);Utført av (id);Gjelder;Gjelder (id);Detaljer');
    const leaderLines = lines.filter((l) => l.includes('Rita Rektor'));
    expect(leaderLines.some((l) => l.includes(';role.granted;'))).toBe(true);
    expect(leaderLines.some((l) => l.includes(';results.viewed;') && l.includes(`puls «${content.title.nb}»`))).toBe(true);
    expect(leaderLines.some((l) => l.includes(';person.erased;') && l.includes('by=admin'))).toBe(true);
    expect(lines.some((l) => l.includes(';person.erased;') && l.includes('by=self'))).toBe(true);
    expect(lines.some((l) => l.includes(';person.dataViewed;'))).toBe(true);
    expect(csv).not.toMatch(/kommentar om/);
    // A results-export token or a forged one does not open it; the download itself is audited.
    expect((await fetch(`${h.baseUrl}/export/audit/${token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`)).status).toBe(403);
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'audit.exported' } })).toBe(1);
  });

  it('stops working once the admin role is gone', async () => {
    await h.send(leader.say('eksport logg'));
    const url = /"url":"([^"]+)"/.exec(lastJson())![1]!;
    await h.db.prisma.roleAssignment.deleteMany({ where: { personId: await personId('rektor-pv'), role: 'admin' } });
    expect((await fetch(`${h.baseUrl}/export/audit/${url.slice(url.lastIndexOf('/') + 1)}`)).status).toBe(403);
  });
});
