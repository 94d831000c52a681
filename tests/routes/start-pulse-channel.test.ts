import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startHarness, type Activity, type Harness } from '../helpers/harness.ts';
import { invokeCard, teamsUser } from '../helpers/people.ts';

// A leader starts a pulse in the team's channel, where every staff member
// reads along: the delivery counts and why people could not be reached
// belong in the starter's own 1:1 chat; the channel gets one line.
const TEAM = '19:general-nordby@thread.tacv2';
const TEAM_NAME = 'Nordby skole – alle ansatte';
let h: Harness;
const ola = teamsUser('ola', { name: 'Ola Rektor' });
const lise = teamsUser('lise', { name: 'Lise Leder' });
const staff = ['anne', 'bjorn', 'cecilie'].map((k) => teamsUser(k, { name: k }));
const member = (u: ReturnType<typeof teamsUser>) => ({ ...u.from, email: `${u.from.id.slice(4)}@nordby.kommune.no` });
/** The same activity, sent in the team's channel instead of the 1:1 chat. */
const inChannel = (a: Activity): Activity => ({
  ...a,
  conversation: { ...(a.conversation as object), id: TEAM, conversationType: 'channel', isGroup: true },
  channelData: { ...(a.channelData as object), team: { id: TEAM, name: TEAM_NAME } },
});
const sayInChannel = (u: ReturnType<typeof teamsUser>, text: string) => inChannel(u.say(text));

const channelCalls = () => h.connector.calls.filter((c) => c.conversationId === TEAM && c.path.includes('/activities'));
const progressIn = (conversationId: string) => h.connector.calls.filter((c) => c.method === 'PUT' && c.conversationId === conversationId);
/** The conversation the "Sender pulsen …" progress message was first posted to. */
const progressConversation = () => h.connector.calls.find((c) => c.method === 'POST' && c.path.includes('/activities') && JSON.stringify(c.body).includes('Sender pulsen'))?.conversationId;

beforeAll(async () => {
  h = await startHarness();
  await h.send(ola.install());
  h.connector.setMembers(TEAM, [ola, lise, ...staff].map(member));
  await h.send(fixture('team-install', { from: ola.from }));
  await h.send(ola.say(`rolle meg leder ${TEAM_NAME}`));
  // Lise knows the bot only from the team: she has no 1:1 chat with it.
  await h.send(ola.say(`rolle lise@nordby.kommune.no leder ${TEAM_NAME}`));
  expect(h.connector.sentActivities().at(-1)!.text).toContain('Lise Leder er nå leder');
});
afterAll(async () => {
  await h?.close();
});

describe('starting a pulse in a team channel', () => {
  it('posts one short line in the channel; the progress goes to the starter’s 1:1 chat and is updated there', async () => {
    h.connector.reset();
    await h.send(sayInChannel(ola, 'start puls organisering'));
    await h.settle();
    await expect.poll(() => JSON.stringify(progressIn(ola.conversationId).at(-1)?.body), { timeout: 10_000 }).toMatch(/er sendt til \d+ av \d+ i Nordby skole – alle ansatte\. Den stenger/);
    expect(progressConversation()).toBe(ola.conversationId);

    const channel = channelCalls();
    expect(channel.map((c) => c.method)).toEqual(['POST']);
    expect(channel[0]!.body!.text).toMatch(/^Pulsen «[^»]+» er sendt ut til ansatte i Nordby skole – alle ansatte\. Svar i chatten med Kompetansepuls innen \S+ \d+\. \S+ kl\. \d\d:\d\d\.$/);
    expect(JSON.stringify(channel)).not.toMatch(/sendt så langt|er sendt til|Kunne ikke nås/);
  });

  it('creates the 1:1 chat for a starter who has none, as pulse delivery does', async () => {
    h.connector.reset();
    await h.send(sayInChannel(lise, 'start puls tilbakemelding'));
    await h.settle();
    await expect.poll(() => progressConversation(), { timeout: 10_000 }).toMatch(/^a:created-/);
    const where = progressConversation()!;
    await expect.poll(() => JSON.stringify(progressIn(where).at(-1)?.body), { timeout: 10_000 }).toMatch(/er sendt til \d+ av \d+ i Nordby skole – alle ansatte/);
    const person = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: lise.from.id } });
    expect(await h.db.prisma.conversationRef.count({ where: { personId: person.id, kind: 'personal' } })).toBeGreaterThan(0);
    expect(channelCalls().map((c) => c.body!.text)).toEqual([expect.stringMatching(/^Pulsen «[^»]+» er sendt ut til ansatte i Nordby skole – alle ansatte\./)]);
  });

  it('says so in the channel when the starter cannot be reached in a 1:1 chat, and still shows no counts there', async () => {
    h.connector.reset();
    const realSender = h.deps.sender!;
    h.deps.sender = {
      ...realSender,
      async sendCard(target, card) {
        if (target.teamsUserId === lise.from.id && JSON.stringify(card).includes('Sender pulsen')) return { ok: false, reason: 'notInstalled', status: 403 };
        return realSender.sendCard(target, card);
      },
    };
    try {
      await h.send(sayInChannel(lise, 'start puls digital-kompetanse'));
      await h.settle();
      const channel = channelCalls();
      expect(channel).toHaveLength(1);
      expect(channel[0]!.body!.text).toMatch(/er sendt ut til ansatte i Nordby skole – alle ansatte\. .* Jeg fikk ikke sendt fremdriften til deg i personlig chat\. Åpne chatten med Kompetansepuls og skriv «status»/);
      expect(JSON.stringify(channel)).not.toMatch(/sendt så langt|er sendt til/);
      const pulse = await h.db.prisma.pulse.findFirstOrThrow({ where: { templateId: 'digital-kompetanse' } });
      expect(pulse.progressRef).toBeNull();
    } finally {
      h.deps.sender = realSender;
    }
  });

  it('the start form submitted in the channel turns into the same line; progress goes to the 1:1 chat', async () => {
    const unit = await h.db.prisma.orgUnit.findFirstOrThrow({ where: { teamsTeamId: TEAM } });
    h.connector.reset();
    const res = await h.send(inChannel(ola.act('pulse.start', { templateId: 'hindringer-tilbud', unitId: unit.id, window: '3d', roles: '' })));
    expect(invokeCard(res)).toMatch(/er sendt ut til ansatte i Nordby skole – alle ansatte\. Svar i chatten med Kompetansepuls innen/);
    expect(invokeCard(res)).not.toContain('Fremdriften vises i meldingen under');
    await h.settle();
    await expect.poll(() => JSON.stringify(progressIn(ola.conversationId).at(-1)?.body), { timeout: 10_000 }).toMatch(/er sendt til \d+ av \d+/);
    expect(channelCalls()).toHaveLength(0);
  });
});
