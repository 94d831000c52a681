import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveSlot } from '../../src/db/outbox-repository.ts';
import type { CardSender } from '../../src/delivery/teams-sender.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';

// The outbox and its workers, through the real pipeline: HTTP in, pg-boss
// jobs, the pacing bucket and a mock Bot Connector out.
let h: Harness;
const leader = teamsUser('leder', { name: 'Lise Leder' });
const staff = Array.from({ length: 6 }, (_, i) => teamsUser(`ansatt${i}`, { name: `Ansatt ${i}` }));
const pulseCardsTo = (conversationId: string) =>
  h.connector.accepted().filter((c) => c.method === 'POST' && c.conversationId === conversationId && JSON.stringify(c.body).includes('"verb":"pulse.answer"')).length;

beforeAll(async () => {
  // A short lease so the crash test below does not wait a minute; long enough that a send retried by the
  // connector client on a busy machine is not taken over (and sent twice) while still in progress.
  h = await startHarness({ DELIVERY_LEASE_SECONDS: '5' });
  await h.send(leader.install());
  await h.send(leader.say('rolle meg leder'));
  for (const s of staff) await h.send(s.install());
});
afterAll(async () => {
  await h?.close();
});

async function startPulse(template: string) {
  await h.send(leader.say(`start puls ${template}`));
  return h.db.prisma.pulse.findFirstOrThrow({ where: { templateId: template } });
}

describe('delivery through the outbox', () => {
  it('retries 502 and 429 until delivered: every person gets exactly one card, nothing is lost', async () => {
    h.connector.reset();
    h.connector.failures.push(502, 429, 502, 504);
    const pulse = await startPulse('organisering');
    await h.settle();
    for (const person of [leader, ...staff]) expect(pulseCardsTo(person.conversationId), person.conversationId).toBe(1);
    const rows = await h.db.prisma.outbox.findMany({ where: { pulseId: pulse.id } });
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // The four errors really happened (retried by the connector client or by our outbox).
    expect(h.connector.calls.filter((c) => c.status === 502 || c.status === 429 || c.status === 504)).toHaveLength(4);
  });

  it('a message whose process died after the connector accepted it but before it was recorded is sent again once (at-least-once), and then recorded', async () => {
    h.connector.reset();
    const realSender = h.deps.sender!;
    let crashes = 1;
    // Stand-in for kill -9 between "sent" and "recorded": the send happens, the process "dies" before markSent.
    const crashing: CardSender = {
      ...realSender,
      async sendCard(target, card) {
        const result = await realSender.sendCard(target, card);
        if (crashes > 0) {
          crashes--;
          throw new Error('simulated crash after send');
        }
        return result;
      },
    };
    h.deps.sender = crashing;
    try {
      const pulse = await startPulse('tilbakemelding');
      // The crashed message keeps its lease for 5 s; the sweeper then re-queues it.
      await h.settle(30_000);
      await expect.poll(() => h.db.prisma.outbox.count({ where: { pulseId: pulse.id, status: 'sent' } }), { timeout: 30_000 }).toBe(7);
      const counts = [leader, ...staff].map((p) => pulseCardsTo(p.conversationId));
      expect(counts.filter((n) => n === 2)).toHaveLength(1); // the one duplicate this window can cause
      expect(counts.filter((n) => n === 1)).toHaveLength(6);
      const retried = await h.db.prisma.outbox.findFirstOrThrow({ where: { pulseId: pulse.id, attempts: 2 } });
      expect(retried.status).toBe('sent');
    } finally {
      h.deps.sender = realSender;
    }
  });

  it('our own retry layer honours Retry-After and backs off, then delivers (errors the connector client gave up on)', async () => {
    h.connector.reset();
    const realSender = h.deps.sender!;
    const answers = [
      { ok: false as const, reason: 'throttled' as const, status: 429, retryAfterMs: 700 },
      { ok: false as const, reason: 'error' as const, status: 503 },
    ];
    const seen: number[] = [];
    h.deps.sender = {
      ...realSender,
      async sendCard(target, card) {
        if (target.reference?.conversation?.id === staff[5]!.conversationId && answers.length > 0) {
          seen.push(Date.now());
          return answers.shift()!;
        }
        const result = await realSender.sendCard(target, card);
        if (target.reference?.conversation?.id === staff[5]!.conversationId) seen.push(Date.now());
        return result;
      },
    };
    try {
      const pulse = await startPulse('digital-kompetanse');
      await expect.poll(() => h.db.prisma.outbox.count({ where: { pulseId: pulse.id, status: 'sent' } }), { timeout: 30_000 }).toBe(7);
      const person = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: staff[5]!.from.id } });
      expect(await h.db.prisma.outbox.findFirstOrThrow({ where: { pulseId: pulse.id, personId: person.id } })).toMatchObject({ status: 'sent', attempts: 3 });
      expect(seen).toHaveLength(3);
      expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(650); // Retry-After: 0.7 s
      expect(pulseCardsTo(staff[5]!.conversationId)).toBe(1);
    } finally {
      h.deps.sender = realSender;
    }
  });

  it('people the bot cannot reach are recorded with the reason, not retried', async () => {
    h.connector.reset();
    h.connector.failConversation(staff[0]!.conversationId, 403, 'ConversationBlockedByUser');
    h.connector.failConversation(staff[1]!.conversationId, 403, 'BotNotInConversationRoster');
    h.connector.failConversation(staff[2]!.conversationId, 404, 'ConversationNotFound');
    const pulse = await startPulse('hindringer-tilbud');
    await h.settle();
    const byPerson = async (i: number) => {
      const person = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: staff[i]!.from.id } });
      return h.db.prisma.outbox.findFirstOrThrow({ where: { pulseId: pulse.id, personId: person.id } });
    };
    expect(await byPerson(0)).toMatchObject({ status: 'failed', reason: 'blocked', attempts: 1 });
    expect(await byPerson(1)).toMatchObject({ status: 'failed', reason: 'userLeft', attempts: 1 });
    expect(await byPerson(2)).toMatchObject({ status: 'failed', reason: 'notInstalled', attempts: 1 });
    expect(await byPerson(3)).toMatchObject({ status: 'sent' });
  });

  it('reminders go only to people who got the card and have not answered; closing stops further sends', async () => {
    const { remindPulse, closePulse } = await import('../../src/services/pulse-closing.ts');
    const pulse = await h.db.prisma.pulse.findFirstOrThrow({ where: { templateId: 'hindringer-tilbud' } });
    h.connector.reset();
    await h.send(staff[3]!.say('svar 1 2 3 4 5'));
    expect(h.connector.sentActivities().at(-1)!.attachments).toBeDefined();
    await remindPulse(h.deps, pulse.id, 1);
    await h.settle();
    const reminded = h.connector.accepted().filter((c) => c.method === 'POST' && JSON.stringify(c.body).includes('Påminnelse')).map((c) => c.conversationId).sort();
    // staff 0-2 never got the card, staff 3 answered.
    expect(reminded).toEqual([leader.conversationId, staff[4]!.conversationId, staff[5]!.conversationId].sort());
    await remindPulse(h.deps, pulse.id, 1); // the same reminder again: nothing new
    await h.settle();
    expect(h.connector.accepted().filter((c) => c.method === 'POST' && JSON.stringify(c.body).includes('Påminnelse'))).toHaveLength(3);

    h.deps.clock = () => new Date(pulse.closesAt.getTime() + 1000);
    try {
      await closePulse(h.deps, pulse.id);
      expect((await h.db.prisma.pulse.findUniqueOrThrow({ where: { id: pulse.id } })).status).toBe('published');
      await remindPulse(h.deps, pulse.id, 2);
      expect(await h.db.prisma.outbox.count({ where: { pulseId: pulse.id, kind: 'reminder', seq: 2 } })).toBe(0);
      // The leader hears the response rate (counts only): 7 got it (the leader too, 3 could not be reached but were asked), 1 answered.
      expect(JSON.stringify(h.connector.sentActivities().filter((a) => JSON.stringify(a).includes('er stengt')))).toMatch(/er stengt\. 1 av 7 svarte \(14 %\)/);
    } finally {
      h.deps.clock = () => new Date();
    }
  });

  it('does not tell leaders response counts for groups smaller than k', async () => {
    const { closePulse } = await import('../../src/services/pulse-closing.ts');
    const pulse = await h.db.prisma.pulse.findFirstOrThrow({ where: { templateId: 'digital-kompetanse' } });
    await h.db.prisma.tenant.updateMany({ data: { minGroupSize: 10 } });
    h.connector.reset();
    h.deps.clock = () => new Date(pulse.closesAt.getTime() + 1000);
    try {
      await closePulse(h.deps, pulse.id);
      // Not just the last activity: a progress update of an earlier pulse may still arrive after the notice on a busy machine.
      const notice = JSON.stringify(h.connector.sentActivities().filter((a) => JSON.stringify(a).includes('er stengt')));
      expect(notice).toContain('Færre enn 10 fikk den, så svarprosenten vises ikke.');
      expect(notice).not.toMatch(/av 7 svarte/);
    } finally {
      h.deps.clock = () => new Date();
      await h.db.prisma.tenant.updateMany({ data: { minGroupSize: 5 } });
    }
  });

  it('the shared rate bucket hands out distinct, evenly spaced slots to concurrent senders', async () => {
    const slots = await Promise.all(Array.from({ length: 40 }, () => reserveSlot(h.db.sql, 'tenant:test-bucket', 20)));
    const tats = slots.map((s) => s.tat.getTime()).sort((a, b) => a - b);
    expect(new Set(tats).size).toBe(40);
    for (let i = 1; i < tats.length; i++) expect(tats[i]! - tats[i - 1]!).toBeGreaterThanOrEqual(19);
  });
});
