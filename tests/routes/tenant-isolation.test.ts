import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPulseContent } from '../../src/domain/pulse-content.ts';
import { nb } from '../../src/i18n/nb.ts';
import { loadQuestionBank } from '../../src/question-bank/load-question-bank.ts';
import { fixture, startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';
import { seedAnsweredPulse } from '../helpers/seed-pulse.ts';

// Two tenants served by one bot (ALLOWED_TENANTS = A, B), both with data, and
// a third that is not served. B's leader tries every read command and every
// card verb with A's ids; nothing of A's may show, and nothing of A's may
// change. The clock is 2031 so that jobs queued for real times never run.
let h: Harness;
const TENANT_A = 'f1e2d3c4-0000-4000-8000-000000000001';
const TENANT_B = 'b2b2b2b2-0000-4000-8000-00000000000b';
const TENANT_C = 'c3c3c3c3-0000-4000-8000-00000000000c';
const now = new Date('2031-03-02T08:00:00Z');

const aLeader = teamsUser('iso-a-leader', { name: 'Alf Alfasen' });
const aStaff = teamsUser('iso-a-staff', { name: 'Anna Alfasen' });
const bLeader = teamsUser('iso-b-leader', { name: 'Berit Betasen', tenantId: TENANT_B });
const bStaff = teamsUser('iso-b-staff', { name: 'Bjørn Betasen', tenantId: TENANT_B });
const cUser = teamsUser('iso-c-user', { name: 'Cecilie Ceesen', tenantId: TENANT_C });
/** A's leader's own Teams account (same user and Entra object ids), speaking through tenant B as a guest there. */
const aLeaderInB = teamsUser('iso-a-leader', { name: 'Gjest Gjestesen', tenantId: TENANT_B });

const A_COMMENT = 'ALFA-HEMMELIG-KOMMENTAR';
const B_COMMENT = 'Beta-kommentar om fellestid';
const ids: Record<string, string> = {};
const content = buildPulseContent(loadQuestionBank(), 'laringsmiljo-1');
const COMMENT_ITEM = content.items.find((i) => i.kind === 'comment')!.id;
const need = (item: string) => (item.startsWith('competence') ? 1 : 5);
const noNeed = () => 3;

const plan = (unitId: string, over: Record<string, unknown> = {}) => ({
  planId: '',
  templateId: 'laringsmiljo-1',
  unitId,
  roles: '',
  firstDate: '2031-09-10',
  time: '14:00',
  recurrence: 'weekly',
  window: '3d',
  reminders: 'after1d',
  maxReminders: '1',
  onClose: 'publish',
  skipHolidays: 'true',
  ...over,
});

/** Everything the bot said in one step: replies and proactive messages, plus the invoke response. */
async function step(activity: Record<string, unknown>): Promise<{ status: number; output: string; body: unknown }> {
  h.connector.reset();
  const res = await h.send(activity);
  const output = JSON.stringify([res.body ?? null, h.connector.sentActivities()]);
  return { status: res.status, output, body: res.body };
}

async function addComments(pulseId: string, prefix: string, count: number, text: string) {
  const people = await h.db.prisma.person.findMany({ where: { teamsUserId: { startsWith: `29:${prefix}-` } }, take: count });
  await h.db.prisma.answer.createMany({ data: people.map((p, i) => ({ pulseId, personId: p.id, itemId: COMMENT_ITEM, comment: `${text} ${i}`, answeredAt: new Date('2031-02-19T12:00:00Z') })) });
}

/** Every row that belongs to a tenant, as text: to prove nothing of it changed. */
async function tenantRows(tenantId: string): Promise<string> {
  const p = h.db.prisma;
  const pulses = await p.pulse.findMany({ where: { tenantId }, orderBy: { id: 'asc' } });
  const pulseIds = pulses.map((x) => x.id);
  const rows = {
    tenant: await p.tenant.findUnique({ where: { id: tenantId } }),
    units: await p.orgUnit.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    people: await p.person.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    memberships: await p.membership.findMany({ where: { person: { tenantId } }, orderBy: [{ personId: 'asc' }, { unitId: 'asc' }] }),
    roles: await p.roleAssignment.findMany({ where: { person: { tenantId } }, orderBy: [{ personId: 'asc' }, { unitId: 'asc' }, { role: 'asc' }] }),
    conversations: await p.conversationRef.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    pulses,
    recipients: await p.pulseRecipient.findMany({ where: { pulseId: { in: pulseIds } }, orderBy: [{ pulseId: 'asc' }, { personId: 'asc' }] }),
    answers: await p.answer.findMany({ where: { pulseId: { in: pulseIds } }, orderBy: [{ pulseId: 'asc' }, { personId: 'asc' }, { itemId: 'asc' }] }),
    plans: await p.pulsePlan.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    measures: await p.measure.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    outbox: await p.outbox.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
    audit: await p.auditEntry.findMany({ where: { tenantId }, orderBy: { id: 'asc' } }),
  };
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Row count of every table in the database (the test's schema). */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await h.db.sql.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) counts[table_name] = Number((await h.db.sql.query<{ n: string | number }>(`SELECT count(*) AS n FROM "${table_name}"`))[0]!.n);
  return counts;
}

beforeAll(async () => {
  h = await startHarness({ ALLOWED_TENANTS: `${TENANT_A}, ${TENANT_B}` });
  h.deps.clock = () => now;
  const prisma = h.db.prisma;
  for (const u of [aLeader, aStaff, bLeader, bStaff]) await h.send(u.install());
  await h.send(aLeader.say('rolle meg leder'));
  await h.send(bLeader.say('rolle meg leder'));
  const tenantOf = async (teamsTenantId: string) => (await prisma.tenant.findUniqueOrThrow({ where: { teamsTenantId } })).id;
  ids.tenantA = await tenantOf(TENANT_A);
  ids.tenantB = await tenantOf(TENANT_B);
  const root = async (tenantId: string) => (await prisma.orgUnit.findFirstOrThrow({ where: { tenantId, kind: 'organisation' } })).id;
  ids.rootA = await root(ids.tenantA);
  ids.rootB = await root(ids.tenantB);
  ids.alfa = (await prisma.orgUnit.create({ data: { tenantId: ids.tenantA, parentId: ids.rootA, kind: 'school', name: 'Alfa skole' } })).id;
  ids.beta = (await prisma.orgUnit.create({ data: { tenantId: ids.tenantB, parentId: ids.rootB, kind: 'school', name: 'Beta skole' } })).id;
  const personId = async (u: { from: { id: string } }, tenantId: string) => (await prisma.person.findFirstOrThrow({ where: { tenantId, teamsUserId: u.from.id } })).id;
  ids.aLeader = await personId(aLeader, ids.tenantA);
  ids.aStaff = await personId(aStaff, ids.tenantA);
  await prisma.membership.create({ data: { personId: ids.aStaff, unitId: ids.alfa, source: 'import' } });
  await prisma.membership.create({ data: { personId: await personId(bStaff, ids.tenantB), unitId: ids.beta, source: 'import' } });

  // A: two answered rounds of the same pulse in Alfa skole (for trend), comments, an open pulse for A's staff, a plan, a measure.
  ids.aOld = (await seedAnsweredPulse(h.db, { unitId: ids.alfa, prefix: 'alfa-old', closesAt: new Date('2030-11-08T15:00:00Z'), groups: [['teacher', 12, noNeed], ['child_youth_worker', 11, noNeed]] })).pulseId;
  ids.aClosed = (await seedAnsweredPulse(h.db, { unitId: ids.alfa, prefix: 'alfa', closesAt: new Date('2031-02-20T15:00:00Z'), groups: [['teacher', 12, need], ['child_youth_worker', 11, need]] })).pulseId;
  await addComments(ids.aClosed, 'alfa', 12, A_COMMENT);
  ids.aOpen = (await seedAnsweredPulse(h.db, { unitId: ids.alfa, prefix: 'alfa-open', status: 'open', opensAt: new Date('2031-03-01T08:00:00Z'), closesAt: new Date('2031-03-09T15:00:00Z'), groups: [] })).pulseId;
  await prisma.pulseRecipient.create({ data: { pulseId: ids.aOpen, personId: ids.aStaff } });
  ids.aMeasure = (
    await prisma.measure.create({
      data: { tenantId: ids.tenantA, unitId: ids.alfa, staffRole: 'teacher', catalogueId: 'udir-skolemiljo', catalogueVersion: '1.0.0', reasons: [], themeIds: ['digitale-krenkelser'], basePulseId: ids.aOld, startsOn: new Date('2030-12-01'), evaluateOn: new Date('2031-03-01'), createdById: ids.aLeader },
    })
  ).id;
  expect(JSON.stringify((await h.send(aLeader.act('plan.save', plan(ids.alfa)))).body)).toContain('Planen er lagret');
  ids.aPlan = (await prisma.pulsePlan.findFirstOrThrow({ where: { tenantId: ids.tenantA } })).id;
  // A's leader shares A's latest round with A's staff.
  await h.send(aLeader.act('results.shareConfirm', { pulseIds: ids.aClosed }));
  expect((await prisma.pulse.findUniqueOrThrow({ where: { id: ids.aClosed } })).sharedWithStaffAt).not.toBeNull();

  // B: the same pulse template in Beta skole, two rounds, comments, a plan, a measure.
  ids.bOld = (await seedAnsweredPulse(h.db, { unitId: ids.beta, prefix: 'beta-old', closesAt: new Date('2030-11-10T15:00:00Z'), groups: [['teacher', 8, noNeed], ['child_youth_worker', 6, noNeed]] })).pulseId;
  ids.bClosed = (await seedAnsweredPulse(h.db, { unitId: ids.beta, prefix: 'beta', closesAt: new Date('2031-02-22T15:00:00Z'), groups: [['teacher', 8, noNeed], ['child_youth_worker', 6, noNeed]] })).pulseId;
  await addComments(ids.bClosed, 'beta', 11, B_COMMENT);
  await prisma.measure.create({
    data: { tenantId: ids.tenantB, unitId: ids.beta, staffRole: null, catalogueId: 'lokalt-fagnettverk', catalogueVersion: '1.0.0', reasons: [], basePulseId: ids.bOld, startsOn: new Date('2030-12-01'), evaluateOn: new Date('2031-06-01') },
  });
  expect(JSON.stringify((await h.send(bLeader.act('plan.save', plan(ids.beta)))).body)).toContain('Planen er lagret');
  await h.settle();
}, 180_000); // a slow, shared CI machine can take more than the default minute to seed
afterAll(async () => {
  await h?.close();
});

/** What of A's must never reach anyone in B: names, ids and texts. */
const aMarkers = () => ['Alfa', 'Alfasen', A_COMMENT, 'alfa-', ids.tenantA!, ids.rootA!, ids.alfa!, ids.aOld!, ids.aClosed!, ids.aOpen!, ids.aPlan!, ids.aMeasure!, ids.aLeader!, ids.aStaff!];
/** `echoed`: ids the request itself carried (a refused form may show the person's own input again; that tells them nothing new). */
const expectNothingOfA = (output: string, echoed: readonly unknown[] = []) => {
  for (const marker of aMarkers().filter((m) => !echoed.includes(m))) expect(output, `leaked ${marker}`).not.toContain(marker);
};

describe('a tenant that is not in ALLOWED_TENANTS', () => {
  it('gets a polite refusal for messages and card actions, nothing for installs, and nothing is stored in any table', async () => {
    const before = await rowCounts();
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['Tenant', 'Person', 'OrgUnit', 'ConversationRef', 'AuditEntry', 'Pulse', 'Answer', 'Measure', 'PulsePlan', 'Outbox']));

    const message = await step(cUser.say('hjelp'));
    expect(message.status).toBe(200);
    expect(h.connector.sentActivities().map((a) => a.text)).toEqual([nb['tenant.notAllowed']]);

    const install = await step(cUser.install());
    expect(install.status).toBe(200);
    expect(h.connector.sentActivities()).toEqual([]);

    const teamInstall = await step(fixture('team-install', { conversation: { tenantId: TENANT_C, id: '19:c-team@thread.tacv2' }, channelData: { tenant: { id: TENANT_C }, team: { id: '19:c-team@thread.tacv2', name: 'Ceesen-teamet' } } }));
    expect(teamInstall.status).toBe(200);
    expect(h.connector.calls).toEqual([]); // not even the roster is read

    const action = await step(cUser.act('profile.save', { staffRole: 'teacher', schoolLevel: 'barnetrinn', pupilGroups: '', language: '' }));
    expect(action.status).toBe(200);
    expect(action.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: nb['tenant.notAllowed'] });

    const answer = await step(cUser.act('pulse.answer', { pulseId: ids.aOpen, 'competence-digitale-krenkelser': '1' }));
    expectNothingOfA(answer.output);

    expect(await rowCounts()).toEqual(before);
    expect(await h.db.prisma.tenant.count({ where: { teamsTenantId: TENANT_C } })).toBe(0);
    expect(h.logLines.filter((l) => l.msg === 'activity from a tenant that is not served').length).toBeGreaterThanOrEqual(5);
  });
});

describe('B\'s leader never sees or changes A\'s data', () => {
  let aBefore = '';
  beforeAll(async () => {
    aBefore = await tenantRows(ids.tenantA!);
  });

  const readCommands = ['resultater', 'hindringer', 'hva trenger lærerne mest?', 'resultater for lærere', 'trend', 'trend digitale krenkelser', 'kommentarer', 'status', 'svarprosent', 'planer', 'eksport', 'forslag', 'forslag for lærere', 'effekt av tiltak', 'del resultater', 'sjekk tilbake'];

  it.each(readCommands)('«%s» shows B\'s own data only', async (text) => {
    const { status, output } = await step(bLeader.say(text));
    expect(status).toBe(200);
    expect(output).not.toContain('Bare ledere'); // B's leader is served, not refused
    expectNothingOfA(output);
    if (text === 'kommentarer') expect(output).toContain(B_COMMENT);
    if (text === 'eksport') {
      const url = /"url":"([^"]+\/export\/[^"]+)"/.exec(output)![1]!;
      const csv = await (await fetch(`${h.baseUrl}/export/${url.slice(url.lastIndexOf('/') + 1)}`)).text();
      // B's latest round: 14 people; A's has 23.
      expect(csv).toContain('(personer som svarte);14;');
      expect(csv).not.toContain('(personer som svarte);23;');
      expectNothingOfA(csv);
    }
  });

  /** Card verbs carrying A's ids, each with what B's leader gets back. */
  const forged: Array<[verb: string, data: () => Record<string, unknown>, expected: string]> = [
    ['pulse.answer', () => ({ pulseId: ids.aOpen, 'competence-digitale-krenkelser': '1', 'importance-digitale-krenkelser': '5', 'competence-negativ-sosial-kontroll': '1', 'importance-negativ-sosial-kontroll': '5', 'competence-sarbare-elever': '1', 'importance-sarbare-elever': '5' }), nb['pulse.notFound']],
    ['pulse.edit', () => ({ pulseId: ids.aOpen }), nb['pulse.notFound']],
    ['pulse.start', () => ({ templateId: 'laringsmiljo-1', unitId: ids.alfa, window: '3d', roles: '' }), nb['start.invalid']],
    ['plan.pause', () => ({ planId: ids.aPlan }), nb['plan.notFound']],
    ['plan.resume', () => ({ planId: ids.aPlan }), nb['plan.notFound']],
    ['plan.cancel', () => ({ planId: ids.aPlan }), nb['plan.notFound']],
    ['plan.edit', () => ({ planId: ids.aPlan }), nb['plan.notFound']],
    ['plan.status', () => ({ planId: ids.aPlan }), nb['plan.notFound']],
    ['plan.save', () => plan(ids.beta!, { planId: ids.aPlan }), nb['plan.notFound']],
    ['plan.save', () => plan(ids.alfa!), nb['plan.problem.unit']],
    ['results.share', () => ({ pulseIds: ids.aClosed }), nb['share.notAllowed']],
    ['results.shareConfirm', () => ({ pulseIds: `${ids.bClosed},${ids.aClosed}` }), nb['share.notAllowed']],
    ['checkBack.send', () => ({ pulseIds: ids.aClosed, window: '3d' }), nb['checkBack.notAllowed']],
    ['measure.choose', () => ({ catalogueId: 'udir-skolemiljo', groupKey: 'teacher', unitId: ids.alfa, startsOn: '2031-03-02', evaluateAfter: '6' }), nb['suggest.notAllowed']],
    ['measure.followUp', () => ({ measureId: ids.aMeasure, window: '1w' }), nb['followUp.notFound']],
  ];

  it.each(forged)('card verb %s with A\'s ids is refused and leaks nothing', async (verb, data, expected) => {
    const sent = data();
    const { status, output } = await step(bLeader.act(verb, sent));
    expect(status).toBe(200);
    expect(output).toContain(JSON.stringify(expected).slice(1, -1));
    expectNothingOfA(output, Object.values(sent));
    // A refused form lists only B's units to choose from.
    if (verb === 'plan.save' || verb === 'pulse.start') expect(output).not.toMatch(new RegExp(`"title":"[^"]*","value":"${ids.alfa}"`));
  });

  it('B\'s staff see nothing of A\'s shared round', async () => {
    const { output } = await step(bStaff.say('resultater'));
    expect(output).toContain(JSON.stringify(nb['share.staffNothing']).slice(1, -1));
    expectNothingOfA(output);
  });

  it('A\'s leader\'s own Teams account, speaking in tenant B, has B\'s rights there (none), not A\'s', async () => {
    for (const text of ['resultater', 'kommentarer', 'planer', 'eksport']) {
      const { output } = await step(aLeaderInB.say(text));
      expectNothingOfA(output);
    }
    const { output } = await step(aLeaderInB.act('plan.pause', { planId: ids.aPlan }));
    expectNothingOfA(output);
  });

  it('nothing of A\'s changed: every row of tenant A is as it was', async () => {
    expect(await tenantRows(ids.tenantA!)).toBe(aBefore);
    expect(await h.db.prisma.pulse.count({ where: { OR: [{ checkBackOfId: ids.aClosed }, { measureId: ids.aMeasure }] } })).toBe(0);
    expect(await h.db.prisma.pulse.count({ where: { tenantId: ids.tenantB } })).toBe(2);
  });
});
