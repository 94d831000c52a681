import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';

// Malformed and hostile activities from known users: every one gets a 2xx
// with a readable answer or a 4xx, the bot never crashes, and nothing that was
// not a valid request changes the data people rely on.
let h: Harness;
const kari = teamsUser('kari-fuzz', { name: 'Kari Nordmann' });
const ola = teamsUser('ola-fuzz', { name: 'Ola Rektor' });
const emma = teamsUser('emma-fuzz', { name: 'Emma English', locale: 'en-US' });
let pulseId = '';
let cases = 0;
const statuses = new Map<number, number>();

/** Tables whose rows a hostile request must never add, change or remove (the audit log and conversation references may grow). */
const GUARDED = ['Answer', 'Pulse', 'PulseRecipient', 'PulsePlan', 'Measure', 'RoleAssignment', 'Membership', 'OrgUnit', 'Person', 'Tenant', 'CustomMeasure', 'CustomBankItem', 'CustomBankTemplate'];

async function fingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of GUARDED) {
    // Bookkeeping the background workers keep moving (delivery progress, update times) is not data a request could half-write.
    const row = (await h.db.sql.query<{ f: string | null; n: number }>(
      `SELECT md5(string_agg(r::text, '|' ORDER BY r::text)) AS f, count(*)::int AS n
         FROM (SELECT to_jsonb(t) - 'updatedAt' - 'progressAt' - 'progressDone' - 'progressRef' AS r FROM "${table}" t) x`,
    ))[0];
    out[table] = `${row!.n}:${row!.f ?? ''}`;
  }
  return out;
}

const VERBS = ['pulse.answer', 'pulse.edit', 'pulse.start', 'profile.save', 'plan.save', 'plan.pause', 'plan.cancel', 'plan.status', 'results.share', 'results.show', 'measure.choose', 'checkBack.send', 'measure.followUp', 'privacy.erase', 'nonsense.verb', '', '__proto__'];
const hostileText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    "'; DROP TABLE \"Answer\"; --",
    '[klikk](https://evil.example) **fet** <script>alert(1)</script>',
    '${title} {{7*7}} %s %n',
    'مرحبا بالعالم ‮evil‬',
    '👩🏽‍🏫🧑‍🤝‍🧑💥'.repeat(50),
    '\u0000\u0001\u200b',
    'svar 9 9 9 9 9 9',
    'svar -1 fem 3',
    'rolle meg admin',
    'slett person ola@skole.no',
    'resultater for ' + 'x'.repeat(5000),
  ),
);
const hostileValue = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant([1, 2, 3]), fc.constant({ nested: { deep: true } }), fc.constantFrom('7', '0', '-3', '4.5', 'fem', '1e9', ''));
const data = fc.dictionary(
  fc.constantFrom('pulseId', 'planId', 'unitId', 'templateId', 'catalogueId', 'groupKey', 'startsOn', 'evaluateAfter', 'pulseIds', 'window', 'staffRole', 'comment', 'competence-digitale-krenkelser', 'importance-digitale-krenkelser', 'token', 'version', 'group'),
  hostileValue,
  { maxKeys: 8 },
);

type Who = ReturnType<typeof teamsUser>;
const who = fc.constantFrom<Who>(kari, ola, emma);
/** Activities shaped like Teams', with parts missing, of the wrong type, or hostile. */
const activity = fc.oneof(
  fc.tuple(who, hostileText).map(([u, text]) => u.say(text)),
  fc.tuple(who, fc.constantFrom(...VERBS), data).map(([u, verb, d]) => u.act(verb, d)),
  fc.tuple(who, data).map(([u, d]) => u.act('pulse.answer', { ...d, pulseId })),
  fc.tuple(who, fc.constantFrom(...VERBS)).map(([u, verb]) => ({ ...u.act(verb, {}), value: fc.sample(hostileValue, 1)[0] })),
  fc.tuple(who, fc.constantFrom('message', 'invoke', 'event', 'typing', 'messageReaction', 'deleteUserData', 'bogus', '', 42)).map(([u, type]) => ({ ...u.say('hei'), type })),
  fc.tuple(who, fc.constantFrom('from', 'conversation', 'text', 'channelId', 'recipient')).map(([u, field]) => {
    const a: Record<string, unknown> = { ...u.say('hjelp') };
    delete a[field];
    return a;
  }),
);

beforeAll(async () => {
  h = await startHarness();
  for (const u of [ola, kari, emma]) await h.send(u.install());
  await h.send(ola.say('rolle meg leder'));
  await h.send(kari.act('profile.save', { staffRole: 'teacher', schoolLevel: 'barnetrinn', pupilGroups: '', language: '' }));
  await h.send(ola.say('start puls laringsmiljo-1'));
  await h.settle();
  pulseId = (await h.db.prisma.pulse.findFirstOrThrow()).id;
}, 120_000);
afterAll(async () => {
  await h?.close();
  const byStatus = [...statuses].sort().map(([s, n]) => `${s}: ${n}`).join(', ');
  console.log(`fuzz: ${cases} hostile activities sent (${byStatus}); ${cases} checked for no crash and no partial writes`);
});

describe('hostile and malformed input', () => {
  it('never crashes (no 5xx), always answers or refuses, and changes nothing that was not validly asked for', { timeout: 240_000 }, async () => {
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(activity, async (a) => {
        h.connector.reset();
        const res = await h.send(a as Record<string, unknown>);
        cases += 1;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        // Bot Framework's answer to an invoke the bot does not implement is 501 Not Implemented;
        // everything else must be answered (2xx) or refused (4xx).
        const a2 = a as { type?: unknown; name?: unknown };
        const unknownInvoke = a2.type === 'invoke' && a2.name !== 'adaptiveCard/action';
        if (!(unknownInvoke && res.status === 501)) expect(res.status, JSON.stringify(a).slice(0, 300)).toBeLessThan(500);
        // Nothing the bot said carries a stack trace or an internal error.
        for (const sent of h.connector.sentActivities()) expect(JSON.stringify(sent)).not.toMatch(/at \w+ \(|TypeError|PrismaClient|stack/);
      }),
      { numRuns: 250 },
    );
    // Hostile input may be refused or answered, but never half-stored: the guarded tables are exactly as before.
    expect(await fingerprint()).toEqual(before);
  });

  it('raw bodies that are not activities get a 4xx, and an oversized one 413', async () => {
    const post = (body: string) => fetch(`${h.baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.status);
    for (const body of ['', 'not json', '[]', 'null', '{"type":', JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) })]) {
      const status = await post(body);
      cases += 1;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect(status, body.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(status, body.slice(0, 40)).toBeLessThan(500);
    }
    expect(await post(JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) }))).toBe(413);
  });

  it('a valid answer after all that is still taken, once, and a hostile one in between is refused in the user\'s language', async () => {
    const bad = await h.send(emma.act('pulse.answer', { pulseId, 'competence-digitale-krenkelser': 'seven' }));
    expect(bad.status).toBe(200);
    const ok = await h.send(kari.act('pulse.answer', { pulseId, 'competence-digitale-krenkelser': '2', 'importance-digitale-krenkelser': '5', 'competence-negativ-sosial-kontroll': '1', 'importance-negativ-sosial-kontroll': '4', 'competence-sarbare-elever': '3', 'importance-sarbare-elever': '5' }));
    expect(JSON.stringify(ok.body)).toContain('Takk! Svarene dine er lagret.');
    const kariId = (await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: kari.from.id } })).id;
    expect(await h.db.prisma.answer.count({ where: { pulseId, personId: kariId, value: { not: null } } })).toBe(6);
  });
});
