import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { invokeCard, teamsUser } from '../helpers/people.ts';

// The per-person rate limit (RATE_LIMIT_PER_MINUTE, here 3: answers then get
// max(60, 4 × 3) = 60) on a fake clock, and the turn timeout with a
// deliberately slow dependency.
let h: Harness;
let now = Date.parse('2026-11-23T09:00:00Z');
const RANDOM_PULSE = '0b8e6c1a-0000-4000-8000-00000000dead';

beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_PER_MINUTE: '3' });
  h.deps.clock = () => new Date(now);
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => h.connector.reset());

const replies = () => h.connector.sentActivities().map((a) => a.text ?? JSON.stringify(a.attachments?.[0]?.content ?? ''));
const TOO_MANY = 'Du sender veldig mange meldinger akkurat nå. Vent et minutt og prøv igjen – det du sendte nå, er ikke behandlet.';
const messageResponse = (res: { status: number; body: unknown }) => {
  expect(res.status).toBe(200);
  const body = res.body as { statusCode: number; type: string; value: string };
  expect(body.type).toBe('application/vnd.microsoft.activity.message');
  return body.value;
};

describe('per-person rate limit on commands', () => {
  const kari = teamsUser('rl-kari', { name: 'Kari' });

  it('serves 3 commands a minute, then says so once, in the person\'s language, and processes nothing more', async () => {
    for (let i = 0; i < 3; i++) expect((await h.send(kari.say('hjelp'))).status).toBe(200);
    expect(replies().filter((r) => r.includes('Dette kan jeg hjelpe deg med'))).toHaveLength(3);
    h.connector.reset();
    const audit = await h.db.prisma.auditEntry.count();
    const person = await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: kari.from.id } });

    for (const text of ['hjelp', 'profil', 'rolle meg admin', 'hjelp']) expect((await h.send(kari.say(text))).status).toBe(200);
    expect(replies()).toEqual([TOO_MANY]); // told once, not once per message
    expect(await h.db.prisma.auditEntry.count()).toBe(audit);
    expect((await h.db.prisma.person.findFirstOrThrow({ where: { id: person.id } })).updatedAt).toEqual(person.updatedAt);
    expect(h.logLines.filter((l) => l.msg === 'rate limited')).toHaveLength(1);
    expect(JSON.stringify(h.logLines.filter((l) => l.msg === 'rate limited'))).not.toContain(kari.from.aadObjectId);
  });

  it('a card action past the limit gets the message as its response (the card stays as it is) and changes nothing', async () => {
    const res = await h.send(kari.act('profile.save', { staffRole: 'teacher', schoolLevel: 'barnetrinn', pupilGroups: '', language: '' }));
    expect(messageResponse(res)).toBe(TOO_MANY);
    expect((await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: kari.from.id } })).staffRole).toBeNull();
  });

  it('other people are not affected', async () => {
    const per = teamsUser('rl-per', { name: 'Per', locale: 'en-US' });
    await h.send(per.say('help'));
    expect(replies()[0]).toContain('Here is what I can help you with');
  });

  it('tells an English or nynorsk client in its own language', async () => {
    const sam = teamsUser('rl-sam', { locale: 'en-GB' });
    const sigrid = teamsUser('rl-sigrid', { locale: 'nn-NO' });
    for (let i = 0; i < 4; i++) {
      await h.send(sam.say('help'));
      await h.send(sigrid.say('hjelp'));
    }
    const texts = replies().filter((r) => !r.startsWith('{') && !r.startsWith('"'));
    expect(texts).toContain('You are sending a lot of messages right now. Please wait a minute and try again – what you just sent was not processed.');
    expect(texts).toContain('Du sender veldig mange meldingar akkurat no. Vent eit minutt og prøv igjen – det du sende no, er ikkje behandla.');
  });

  it('the allowance refills: one command every 20 s at 3 a minute (here after 21 s)', async () => {
    now += 19_000;
    await h.send(kari.say('hjelp'));
    expect(replies()).toEqual([]); // still limited, and already told
    now += 2_000;
    await h.send(kari.say('hjelp'));
    expect(replies()[0]).toContain('Dette kan jeg hjelpe deg med');
  });

  it('events from Teams itself (install, roster changes) are never limited', async () => {
    await h.send(kari.install());
    expect(replies()[0]).toContain('Hei, Kari!');
  });
});

describe('answers to a pulse have their own, larger allowance', () => {
  const ola = teamsUser('rl-ola', { name: 'Ola' });

  it('someone who has used up their commands can still answer (card or text)', async () => {
    for (let i = 0; i < 4; i++) await h.send(ola.say('hjelp'));
    expect(replies().at(-1)).toBe(TOO_MANY);
    // Processed, not limited: the answer route itself says there is no such pulse.
    expect(invokeCard(await h.send(ola.act('pulse.answer', { pulseId: RANDOM_PULSE })))).toContain('Jeg finner ikke denne pulsen');
    h.connector.reset();
    await h.send(ola.say('svar 4 5 3'));
    expect(replies()).toEqual(['Du har ingen åpen puls å svare på akkurat nå.']);
  });

  it('past 60 answers a minute the card stays as it is (with what was filled in) and says to press again', async () => {
    let limited: { status: number; body: unknown } | null = null;
    let processed = 2; // the card and the text answer above
    while (!limited && processed < 100) {
      const res = await h.send(ola.act('pulse.edit', { pulseId: RANDOM_PULSE }));
      if ((res.body as { type?: string }).type === 'application/vnd.microsoft.activity.message') limited = res;
      else processed++;
    }
    expect(processed).toBe(60);
    expect(messageResponse(limited!)).toBe('Du har sendt svært mange svar på kort tid. Vent litt og trykk på knappen igjen – det du har fylt ut, står fortsatt i kortet.');
    now += 60_000;
    expect(invokeCard(await h.send(ola.act('pulse.answer', { pulseId: RANDOM_PULSE })))).toContain('Jeg finner ikke denne pulsen');
  }, 120_000);
});

describe('turn timeout', () => {
  it('a turn slower than TURN_TIMEOUT_SECONDS is answered 503 at the deadline; the turn still finishes and the server carries on', async () => {
    const nils = teamsUser('rl-nils', { name: 'Nils' });
    const directory = h.deps.directory;
    const upsertPerson = directory.upsertPerson;
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    directory.upsertPerson = async (...args) => {
      await slow; // a database that hangs
      return upsertPerson.apply(directory, args);
    };
    h.deps.config.turnTimeoutMs = 1_000;
    try {
      const started = Date.now();
      const res = await h.send(nils.say('hjelp'));
      const elapsed = Date.now() - started;
      expect(res.status).toBe(503);
      expect(elapsed).toBeGreaterThanOrEqual(950);
      expect(elapsed).toBeLessThan(10_000);
      expect(h.logLines.some((l) => l.msg === 'turn timed out')).toBe(true);
      // Meanwhile other requests are served.
      expect((await fetch(`${h.baseUrl}/healthz`)).status).toBe(200);

      // The database comes back: the turn completes in the background (its reply goes out), and nothing breaks.
      directory.upsertPerson = upsertPerson;
      release();
      await expect.poll(() => replies().some((r) => r.includes('Dette kan jeg hjelpe deg med')), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => h.logLines.some((l) => l.msg === 'activity' && l.status === 503), { timeout: 10_000 }).toBe(true);
      expect(h.logLines.some((l) => l.msg === 'adapter failed')).toBe(false);
    } finally {
      directory.upsertPerson = upsertPerson;
      release();
      h.deps.config.turnTimeoutMs = 120_000;
    }
    now += 60_000;
    expect((await h.send(nils.say('hjelp'))).status).toBe(200);
  });
});
