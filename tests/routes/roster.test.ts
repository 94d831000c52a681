import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';

const TEAM = '19:general-nordby@thread.tacv2';
const member = (key: string, name: string) => ({ id: `29:1${key}`, name, aadObjectId: `aad-${key}`, email: `${key}@nordby.kommune.no`, userPrincipalName: `${key}@nordby.kommune.no` });

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const teamUnit = () => h.db.prisma.orgUnit.findFirstOrThrow({ where: { teamsTeamId: TEAM } });
const memberIds = async () =>
  (await h.db.prisma.membership.findMany({ where: { unitId: (await teamUnit()).id }, include: { person: true } })).map((m) => m.person.teamsUserId).sort();

describe('roster learned from Teams', () => {
  it('installing the bot in a team reads the paged roster and records every member', async () => {
    h.connector.setMembers(TEAM, [member('ola', 'Ola Rektor'), member('anne', 'Anne Assistent'), member('bjorn', 'Bjørn BUA')]);
    await h.send(fixture('team-install', { from: { id: '29:1ola', aadObjectId: 'aad-ola', name: 'Ola Rektor' } }));
    expect(h.connector.calls.some((c) => c.method === 'GET' && c.path.endsWith('/pagedmembers'))).toBe(true);
    expect(await memberIds()).toEqual(['29:1anne', '29:1bjorn', '29:1ola']);
    const anne = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: '29:1anne' } });
    expect(anne).toMatchObject({ name: 'Anne Assistent', email: 'anne@nordby.kommune.no', aadObjectId: 'aad-anne' });
  });

  it('keeps memberships current when people are added to or removed from the team', async () => {
    h.connector.setMembers(TEAM, [member('ola', 'Ola Rektor'), member('anne', 'Anne Assistent'), member('bjorn', 'Bjørn BUA'), member('cecilie', 'Cecilie Lærer')]);
    await h.send(fixture('team-install', { id: 'f:members-added', from: { id: '29:1ola', aadObjectId: 'aad-ola' }, membersAdded: [{ id: '29:1cecilie', aadObjectId: 'aad-cecilie' }], channelData: { eventType: 'teamMemberAdded' } }));
    expect(await memberIds()).toEqual(['29:1anne', '29:1bjorn', '29:1cecilie', '29:1ola']);
    expect((await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: '29:1cecilie' } })).email).toBe('cecilie@nordby.kommune.no');

    await h.send(fixture('team-install', { id: 'f:members-removed', from: { id: '29:1ola', aadObjectId: 'aad-ola' }, membersAdded: undefined, membersRemoved: [{ id: '29:1bjorn' }], channelData: { eventType: 'teamMemberRemoved' } }));
    expect(await memberIds()).toEqual(['29:1anne', '29:1cecilie', '29:1ola']);
  });

  it('a pulse for the team reaches members who never chatted with the bot by creating the 1:1 chat', async () => {
    const ola = teamsUser('ola', { name: 'Ola Rektor' });
    await h.send({ ...ola.say('rolle meg leder Nordby skole – alle ansatte'), from: { id: '29:1ola', aadObjectId: 'aad-ola', name: 'Ola Rektor' } });
    expect(h.connector.sentActivities().at(-1)!.text).toBe('Ola Rektor er nå leder for Nordby skole – alle ansatte.');
    h.connector.reset();
    await h.send({ ...ola.say('start puls organisering'), from: { id: '29:1ola', aadObjectId: 'aad-ola', name: 'Ola Rektor' } });
    await h.settle();
    await expect.poll(() => JSON.stringify(h.connector.calls.filter((c) => c.method === 'PUT').at(-1)?.body), { timeout: 10_000 }).toMatch(/er sendt til 3 av 3 i Nordby skole – alle ansatte/);
    const created = h.connector.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');
    expect(created.map((c) => (c.body!.members as Array<{ id: string }>)[0]!.id).sort()).toEqual(['29:1anne', '29:1cecilie']);
    const anne = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: '29:1anne' } });
    const ref = await h.db.prisma.conversationRef.findFirstOrThrow({ where: { personId: anne.id, kind: 'personal' } });
    expect(ref.conversationId).toMatch(/^a:created-/);
    expect(await h.db.prisma.outbox.count({ where: { status: 'sent' } })).toBe(3);
  });

  it('records why a person could not be reached', async () => {
    const ola = teamsUser('ola', { name: 'Ola Rektor' });
    h.connector.reset();
    // Anne blocked the bot: the connector answers 403 for her chat.
    const anne = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: '29:1anne' } });
    const anneRef = await h.db.prisma.conversationRef.findFirstOrThrow({ where: { personId: anne.id } });
    h.connector.failConversation(anneRef.conversationId, 403, 'ConversationBlockedByUser');
    await h.send({ ...ola.say('start puls tilbakemelding'), from: { id: '29:1ola', aadObjectId: 'aad-ola', name: 'Ola Rektor' } });
    await h.settle();
    await expect.poll(() => JSON.stringify(h.connector.calls.filter((c) => c.method === 'PUT').at(-1)?.body), { timeout: 10_000 }).toMatch(/er sendt til 2 av 3 .*Kunne ikke nås: har blokkert boten: 1/);
    const pulse = await h.db.prisma.pulse.findFirstOrThrow({ where: { templateId: 'tilbakemelding' } });
    const failed = await h.db.prisma.outbox.findFirstOrThrow({ where: { pulseId: pulse.id, personId: anne.id } });
    expect(failed.status).toBe('failed');
    expect(failed.reason).toBe('blocked');
  });
});
