import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPulseContent } from '../../src/domain/pulse-content.ts';
import { nb, type MessageKey } from '../../src/i18n/nb.ts';
import { loadQuestionBank } from '../../src/question-bank/load-question-bank.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';
import { seedAnsweredPulse } from '../helpers/seed-pulse.ts';

// Who may do what: every command and every card verb (grep `app.message(` and
// `actionExecute(` in src/routes) × the four roles, including forged card
// submissions (a staff member sending a leader's verb, someone answering a
// pulse that was sent to someone else). Allowed: the normal card or text.
// Refused: the refusal message, and nothing in the database changes.
//
// One tenant: Nordby skole under the organisation. The leader leads Nordby,
// the coordinator coordinates the organisation, the admin is the first
// installer and holds no leader role, the staff member is a teacher at Nordby.
// The clock is 2031 so that jobs queued for real times never run.

type Role = 'staff' | 'leader' | 'coordinator' | 'admin';
const ROLES: readonly Role[] = ['staff', 'leader', 'coordinator', 'admin'];
const users: Record<Role, ReturnType<typeof teamsUser>> = {
  admin: teamsUser('am-admin', { name: 'Ada Admin' }), // installs first: admin
  staff: teamsUser('am-staff', { name: 'Siri Stab' }),
  leader: teamsUser('am-leader', { name: 'Lars Leder' }),
  coordinator: teamsUser('am-coordinator', { name: 'Kari Koordinator' }),
};
const now = new Date('2031-03-02T08:00:00Z');
const ids: Record<string, string> = {};
let h: Harness;

/** The fixed start of a message (up to its first placeholder), as it appears inside a card's JSON. */
const text = (key: MessageKey) => JSON.stringify(nb[key].split('{')[0]!).slice(1, -1);

/** Every «you may not» message: an allowed cell must show none of them (a refusal card can share its title with the real one). */
const REFUSALS = (Object.keys(nb) as MessageKey[]).filter((k) => /\.notAllowed$|\.notAdmin$|\.notRecipient$/.test(k));

type Outcome = { ok: MessageKey[] } | { refused: MessageKey };
/** Allowed: the answer contains one of these messages. */
const OK = (...keys: MessageKey[]): Outcome => ({ ok: keys });
/** Refused with this message; nothing changes. */
const NO = (key: MessageKey): Outcome => ({ refused: key });

type Send = { say: string } | { verb: string; data: (role: Role) => Record<string, unknown> };
const say = (t: string): Send => ({ say: t });
const act = (verb: string, data: (role: Role) => Record<string, unknown> = () => ({})): Send => ({ verb, data });

const answers = { 'competence-digitale-krenkelser': '2', 'importance-digitale-krenkelser': '5', 'competence-negativ-sosial-kontroll': '1', 'importance-negativ-sosial-kontroll': '4', 'competence-sarbare-elever': '3', 'importance-sarbare-elever': '5' };
const planForm = (over: Record<string, unknown> = {}) => ({ planId: '', templateId: 'laringsmiljo-1', unitId: ids.nordby, roles: '', firstDate: '2031-09-10', time: '14:00', recurrence: 'weekly', window: '3d', reminders: 'after1d', maxReminders: '1', onClose: 'publish', skipHolidays: 'true', ...over });

// prettier-ignore
const MATRIX: Array<[action: string, send: Send, cells: Record<Role, Outcome>]> = [
  // ── Commands ──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
  //  action                 what is sent                          staff                           leader                          coordinator                     admin (no leader role)
  ['hjelp',                  say('hjelp'),                         { staff: OK('help.title'),        leader: OK('help.title'),        coordinator: OK('help.title'),        admin: OK('help.title') }],
  ['profil',                 say('profil'),                        { staff: OK('profile.title'),     leader: OK('profile.title'),     coordinator: OK('profile.title'),     admin: OK('profile.title') }],
  ['svar (text answer)',     say('svar 2 5 1 4 3 5'),              { staff: OK('receipt.title'),     leader: NO('text.noOpenPulse'),  coordinator: NO('text.noOpenPulse'),  admin: NO('text.noOpenPulse') }],
  ['start puls',             say('start puls'),                    { staff: NO('start.notAllowed'),  leader: OK('start.title'),       coordinator: OK('start.title'),       admin: NO('start.notAllowed') }],
  ['ny plan',                say('ny plan'),                       { staff: NO('plan.notAllowed'),   leader: OK('plan.form.title'),   coordinator: OK('plan.form.title'),   admin: NO('plan.notAllowed') }],
  ['planer',                 say('planer'),                        { staff: NO('plan.notAllowed'),   leader: OK('plans.title'),       coordinator: OK('plans.title'),       admin: NO('plan.notAllowed') }],
  ['status',                 say('status'),                        { staff: NO('status.notAllowed'), leader: OK('status.title'),      coordinator: OK('status.title'),      admin: NO('status.notAllowed') }],
  ['svarprosent',            say('svarprosent'),                   { staff: NO('status.notAllowed'), leader: OK('status.title'),      coordinator: OK('status.title'),      admin: NO('status.notAllowed') }],
  ['resultater',             say('resultater'),                    { staff: NO('share.staffNothing'), leader: OK('results.title'),    coordinator: OK('results.title'),     admin: NO('share.staffNothing') }],
  ['hindringer',             say('hindringer'),                    { staff: NO('share.staffNothing'), leader: OK('results.title'),    coordinator: OK('results.title'),     admin: NO('share.staffNothing') }],
  ['hva trenger lærerne mest?', say('hva trenger lærerne mest?'), { staff: NO('share.staffNothing'), leader: OK('results.title'),    coordinator: OK('results.title'),     admin: NO('share.staffNothing') }],
  ['trend',                  say('trend'),                         { staff: NO('results.notAllowed'), leader: OK('trend.title'),      coordinator: OK('trend.title'),       admin: NO('results.notAllowed') }],
  ['kommentarer',            say('kommentarer'),                   { staff: NO('results.notAllowed'), leader: OK('comments.title'),   coordinator: OK('comments.title'),    admin: NO('results.notAllowed') }],
  ['eksport',                say('eksport'),                       { staff: NO('export.notAllowed'), leader: OK('export.title'),      coordinator: OK('export.title'),      admin: NO('export.notAllowed') }],
  ['forslag',                say('forslag'),                       { staff: NO('suggest.notAllowed'), leader: OK('suggest.title'),    coordinator: OK('suggest.title'),     admin: NO('suggest.notAllowed') }],
  ['effekt av tiltak',       say('effekt av tiltak'),              { staff: NO('effect.notAllowed'), leader: OK('effect.title'),      coordinator: OK('effect.title'),      admin: NO('effect.notAllowed') }],
  ['sjekk tilbake',          say('sjekk tilbake'),                 { staff: NO('checkBack.notAllowed'), leader: OK('checkBack.confirmTitle'), coordinator: OK('checkBack.confirmTitle'), admin: NO('checkBack.notAllowed') }],
  ['del resultater',         say('del resultater'),                { staff: NO('share.notAllowed'),  leader: OK('share.title'),       coordinator: OK('share.title'),       admin: NO('share.notAllowed') }],
  ['fjern rolle (admin)',    say('fjern rolle meg koordinator'),   { staff: NO('roleCmd.notAdmin'),  leader: NO('roleCmd.notAdmin'),  coordinator: NO('roleCmd.notAdmin'),  admin: OK('roleCmd.notHeld') }],
  ['rolle (no arguments)',   say('rolle'),                         { staff: NO('roleCmd.notAdmin'),  leader: NO('roleCmd.notAdmin'),  coordinator: NO('roleCmd.notAdmin'),  admin: OK('roleCmd.usage') }],
  ['rolle (grant to self)',  say('rolle meg koordinator'),         { staff: NO('roleCmd.notAdmin'),  leader: NO('roleCmd.notAdmin'),  coordinator: NO('roleCmd.notAdmin'),  admin: OK('roleCmd.granted') }],
  ['fjern rolle (undo)',     say('fjern rolle meg koordinator'),   { staff: NO('roleCmd.notAdmin'),  leader: NO('roleCmd.notAdmin'),  coordinator: NO('roleCmd.notAdmin'),  admin: OK('roleCmd.revoked') }],

  // ── Card verbs (every one a forged submission for the roles that never get the card) ───────────────────────────────────────────────
  ['profile.save',           act('profile.save', () => ({ staffRole: 'teacher', schoolLevel: 'barnetrinn', pupilGroups: '', language: '' })),
                                                                   { staff: OK('profile.saved'),     leader: OK('profile.saved'),     coordinator: OK('profile.saved'),     admin: OK('profile.saved') }],
  ['pulse.answer (own pulse)', act('pulse.answer', () => ({ pulseId: ids.openOwn, ...answers })),
                                                                   { staff: OK('receipt.title'),     leader: NO('pulse.notRecipient'), coordinator: NO('pulse.notRecipient'), admin: NO('pulse.notRecipient') }],
  ['pulse.answer (someone else\'s pulse)', act('pulse.answer', () => ({ pulseId: ids.openOther, ...answers })),
                                                                   { staff: NO('pulse.notRecipient'), leader: NO('pulse.notRecipient'), coordinator: NO('pulse.notRecipient'), admin: NO('pulse.notRecipient') }],
  ['pulse.edit (own pulse)', act('pulse.edit', () => ({ pulseId: ids.openOwn })),
                                                                   { staff: OK('privacy.promise'),   leader: NO('pulse.notRecipient'), coordinator: NO('pulse.notRecipient'), admin: NO('pulse.notRecipient') }],
  ['pulse.edit (someone else\'s pulse)', act('pulse.edit', () => ({ pulseId: ids.openOther })),
                                                                   { staff: NO('pulse.notRecipient'), leader: NO('pulse.notRecipient'), coordinator: NO('pulse.notRecipient'), admin: NO('pulse.notRecipient') }],
  // Allowed roles get past the check to "nobody to send to" (role filter with no one in it), so no pulse is started.
  ['pulse.start',            act('pulse.start', () => ({ templateId: 'laringsmiljo-1', unitId: ids.nordby, window: '3d', roles: 'sfo_leader' })),
                                                                   { staff: NO('start.notAllowed'),  leader: OK('start.noRecipients'), coordinator: OK('start.noRecipients'), admin: NO('start.notAllowed') }],
  ['plan.save (new)',        act('plan.save', () => planForm()),   { staff: NO('plan.notAllowed'),   leader: OK('plan.saved.created'), coordinator: OK('plan.saved.created'), admin: NO('plan.notAllowed') }],
  ['plan.save (change)',     act('plan.save', (r) => planForm({ planId: ids[`plan-${r}`], maxReminders: '2' })),
                                                                   { staff: NO('plan.notAllowed'),   leader: OK('plan.saved.updated'), coordinator: OK('plan.saved.updated'), admin: NO('plan.notAllowed') }],
  ['plan.edit',              act('plan.edit', (r) => ({ planId: ids[`plan-${r}`] })),
                                                                   { staff: NO('plan.notAllowed'),   leader: OK('plan.form.editTitle'), coordinator: OK('plan.form.editTitle'), admin: NO('plan.notAllowed') }],
  ['plan.status',            act('plan.status', (r) => ({ planId: ids[`plan-${r}`] })),
                                                                   { staff: NO('status.notAllowed'), leader: OK('plans.title'),       coordinator: OK('plans.title'),       admin: NO('status.notAllowed') }],
  ['plan.pause',             act('plan.pause', (r) => ({ planId: ids[`plan-${r}`] })),
                                                                   { staff: NO('plan.notAllowed'),   leader: OK('plans.done.paused'), coordinator: OK('plans.done.paused'), admin: NO('plan.notAllowed') }],
  ['plan.resume',            act('plan.resume', (r) => ({ planId: ids[`plan-${r}`] })),
                                                                   { staff: NO('plan.notAllowed'),   leader: OK('plans.done.resumed'), coordinator: OK('plans.done.resumed'), admin: NO('plan.notAllowed') }],
  ['plan.cancel',            act('plan.cancel', (r) => ({ planId: ids[`plan-${r}`] })),
                                                                   { staff: NO('plan.notAllowed'),   leader: OK('plans.done.cancelled'), coordinator: OK('plans.done.cancelled'), admin: NO('plan.notAllowed') }],
  ['results.share',          act('results.share', () => ({ pulseIds: ids.current })),
                                                                   { staff: NO('share.notAllowed'),  leader: OK('share.confirmBelow'), coordinator: OK('share.confirmBelow'), admin: NO('share.notAllowed') }],
  ['results.shareCancel',    act('results.shareCancel'),           { staff: OK('share.cancelled'),   leader: OK('share.cancelled'),   coordinator: OK('share.cancelled'),   admin: OK('share.cancelled') }],
  ['results.shareConfirm',   act('results.shareConfirm', () => ({ pulseIds: ids.current })),
                                                                   { staff: NO('share.notAllowed'),  leader: OK('share.done'),        coordinator: OK('share.already'),     admin: NO('share.notAllowed') }],
  ['checkBack.send',         act('checkBack.send', () => ({ pulseIds: ids.current, window: '3d' })),
                                                                   { staff: NO('checkBack.notAllowed'), leader: OK('checkBack.started'), coordinator: OK('checkBack.exists'), admin: NO('checkBack.notAllowed') }],
  ['measure.choose',         act('measure.choose', () => ({ catalogueId: 'udir-skolemiljo', groupKey: 'teacher', unitId: ids.nordby, startsOn: '2031-03-02', evaluateAfter: '6' })),
                                                                   { staff: NO('suggest.notAllowed'), leader: OK('suggest.created', 'suggest.exists', 'suggest.stale'), coordinator: OK('suggest.created', 'suggest.exists', 'suggest.stale'), admin: NO('suggest.notAllowed') }],
  ['measure.followUp',       act('measure.followUp', () => ({ measureId: ids.measure, window: '1w' })),
                                                                   { staff: NO('followUp.notAllowed'), leader: OK('followUp.started', 'followUp.noRecipients'), coordinator: OK('followUp.exists', 'followUp.started', 'followUp.noRecipients'), admin: NO('followUp.notAllowed') }],
  // Damaged or made-up ids: refused like a stranger's, and the turn does not fail.
  ['pulse.answer (malformed id)', act('pulse.answer', () => ({ pulseId: '-'.repeat(36), ...answers })),
                                                                   { staff: NO('pulse.notFound'),    leader: NO('pulse.notFound'),    coordinator: NO('pulse.notFound'),    admin: NO('pulse.notFound') }],
  ['plan.pause (malformed id)', act('plan.pause', () => ({ planId: '0'.repeat(36) })),
                                                                   { staff: NO('plan.notAllowed'),   leader: NO('plan.notFound'),     coordinator: NO('plan.notFound'),     admin: NO('plan.notAllowed') }],
  ['plan.status (malformed id)', act('plan.status', () => ({ planId: 'a'.repeat(36) })),
                                                                   { staff: NO('status.notAllowed'), leader: NO('plan.notFound'),     coordinator: NO('plan.notFound'),     admin: NO('status.notAllowed') }],
  ['results.shareConfirm (malformed ids)', act('results.shareConfirm', () => ({ pulseIds: [{ id: ids.current }, 'x'] })),
                                                                   { staff: NO('share.notAllowed'),  leader: NO('share.notAllowed'),  coordinator: NO('share.notAllowed'),  admin: NO('share.notAllowed') }],
  ['unknown verb',           act('admin.deleteEverything', () => ({ all: true })),
                                                                   { staff: NO('card.unknownAction'), leader: NO('card.unknownAction'), coordinator: NO('card.unknownAction'), admin: NO('card.unknownAction') }],
];

/** What a refused request must not change: every row that carries meaning (not last-seen times). */
async function domainState(): Promise<string> {
  const p = h.db.prisma;
  const state = {
    pulses: await p.pulse.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, unitId: true, closesAt: true, sharedWithStaffAt: true, checkBackOfId: true, measureId: true } }),
    recipients: await p.pulseRecipient.findMany({ orderBy: [{ pulseId: 'asc' }, { personId: 'asc' }] }),
    answers: await p.answer.findMany({ orderBy: [{ pulseId: 'asc' }, { personId: 'asc' }, { itemId: 'asc' }], select: { pulseId: true, personId: true, itemId: true, value: true, comment: true } }),
    plans: await p.pulsePlan.findMany({ orderBy: { id: 'asc' } }),
    measures: await p.measure.findMany({ orderBy: { id: 'asc' } }),
    roles: await p.roleAssignment.findMany({ orderBy: [{ personId: 'asc' }, { unitId: 'asc' }, { role: 'asc' }], select: { personId: true, unitId: true, role: true } }),
    profiles: await p.person.findMany({ orderBy: { id: 'asc' }, select: { id: true, staffRole: true, schoolLevel: true, pupilGroups: true, preferredLanguage: true, profileSavedAt: true } }),
    units: await p.orgUnit.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, parentId: true } }),
    outbox: await p.outbox.count(),
    audit: await p.auditEntry.findMany({ orderBy: { id: 'asc' }, select: { action: true, target: true } }),
  };
  return JSON.stringify(state);
}

beforeAll(async () => {
  h = await startHarness();
  h.deps.clock = () => now;
  const prisma = h.db.prisma;
  for (const role of ['admin', 'staff', 'leader', 'coordinator'] as const) await h.send(users[role].install());
  const tenantId = (await prisma.tenant.findFirstOrThrow()).id;
  const root = (await prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } })).id;
  ids.nordby = (await prisma.orgUnit.create({ data: { tenantId, parentId: root, kind: 'school', name: 'Nordby skole', schoolLevel: 'ungdomstrinn' } })).id;
  const person = async (role: Role) => (await prisma.person.findFirstOrThrow({ where: { teamsUserId: users[role].from.id } })).id;
  for (const role of ROLES) ids[role] = await person(role);
  await prisma.roleAssignment.createMany({ data: [{ personId: ids.leader!, unitId: ids.nordby, role: 'leader' }, { personId: ids.coordinator!, unitId: root, role: 'coordinator' }] });
  expect((await prisma.roleAssignment.findMany({ where: { personId: ids.admin } })).map((r) => r.role)).toEqual(['admin']);
  await prisma.person.update({ where: { id: ids.staff }, data: { staffRole: 'teacher', schoolLevel: 'ungdomstrinn', profileSavedAt: now } });
  await prisma.membership.create({ data: { personId: ids.staff!, unitId: ids.nordby, source: 'import' } });

  // Two answered rounds of the same pulse at Nordby (results, trend, comments), an open pulse sent to the staff member and one sent to someone else.
  const need = (item: string) => (item.startsWith('competence') ? 1 : 5);
  ids.old = (await seedAnsweredPulse(h.db, { unitId: ids.nordby, prefix: 'am-old', closesAt: new Date('2030-11-08T15:00:00Z'), groups: [['teacher', 12, () => 3], ['child_youth_worker', 11, () => 3]] })).pulseId;
  ids.current = (await seedAnsweredPulse(h.db, { unitId: ids.nordby, prefix: 'am-cur', closesAt: new Date('2031-02-20T15:00:00Z'), groups: [['teacher', 12, need], ['child_youth_worker', 11, need]] })).pulseId;
  const content = buildPulseContent(loadQuestionBank(), 'laringsmiljo-1');
  const commentItem = content.items.find((i) => i.kind === 'comment')!.id;
  const commenters = await prisma.person.findMany({ where: { teamsUserId: { startsWith: '29:am-cur-' } }, take: 12 });
  await prisma.answer.createMany({ data: commenters.map((c, i) => ({ pulseId: ids.current!, personId: c.id, itemId: commentItem, comment: `Kommentar ${i}`, answeredAt: new Date('2031-02-19T12:00:00Z') })) });
  const open = async (prefix: string, recipient: string) => {
    const { pulseId } = await seedAnsweredPulse(h.db, { unitId: ids.nordby!, prefix, status: 'open', opensAt: new Date('2031-03-01T08:00:00Z'), closesAt: new Date('2031-03-09T15:00:00Z'), groups: [] });
    await prisma.pulseRecipient.create({ data: { pulseId, personId: recipient } });
    return pulseId;
  };
  ids.openOwn = await open('am-open-own', ids.staff!);
  ids.openOther = await open('am-open-other', commenters[0]!.id);
  ids.measure = (
    await prisma.measure.create({
      data: { tenantId, unitId: ids.nordby, staffRole: 'teacher', catalogueId: 'udir-skolemiljo', catalogueVersion: '1.0.0', reasons: [], themeIds: ['digitale-krenkelser'], basePulseId: ids.old, startsOn: new Date('2030-12-01'), evaluateOn: new Date('2031-03-01'), createdById: ids.leader },
    })
  ).id;
  // One plan per role, so each cell acts on a plan in a known state.
  for (const role of ROLES) {
    ids[`plan-${role}`] = (
      await prisma.pulsePlan.create({
        data: { tenantId, unitId: ids.nordby, templateId: 'laringsmiljo-1', firstSendAt: new Date('2031-09-10T12:00:00Z'), recurrence: 'weekly', windowMinutes: 3 * 24 * 60, reminders: [], maxReminders: 1, nextRunAt: new Date('2031-09-10T12:00:00Z'), createdById: ids.leader },
      })
    ).id;
  }
}, 180_000); // a slow, shared CI machine can take more than the default minute to seed
afterAll(async () => {
  await h?.close();
});

const cells = MATRIX.flatMap(([action, send, outcomes]) => ROLES.map((role) => ({ action, send, role, outcome: outcomes[role] })));

describe('authorisation matrix: role × command and card verb', () => {
  it.each(cells)('$action as $role', async ({ send, role, outcome }) => {
    await h.settle();
    const before = 'refused' in outcome ? await domainState() : '';
    h.connector.reset();
    const activity = 'say' in send ? users[role].say(send.say) : users[role].act(send.verb, send.data(role));
    const res = await h.send(activity);
    expect(res.status).toBe(200);
    await h.settle();
    const output = JSON.stringify([res.body ?? null, h.connector.sentActivities()]);
    if ('refused' in outcome) {
      expect(output).toContain(text(outcome.refused));
      expect(await domainState()).toBe(before);
    } else {
      expect(outcome.ok.some((key) => output.includes(text(key))), `expected one of ${outcome.ok.join(', ')} in ${output.slice(0, 400)}`).toBe(true);
      expect(REFUSALS.filter((key) => output.includes(text(key)))).toEqual([]);
    }
  });
});

describe('forged or damaged input never breaks a turn', () => {
  it('no cell above made a turn fail (no error reply, no "turn failed" in the log)', () => {
    expect(h.logLines.filter((l) => l.msg === 'turn failed' || l.msg === 'adapter failed')).toEqual([]);
  });
});

describe('after the leader shared the round (results.shareConfirm above)', () => {
  it('the staff member of Nordby sees the shared summary; the admin, who is no member of a unit, still sees nothing; neither gets trend or comments', async () => {
    const output = async (role: Role, message: string) => {
      h.connector.reset();
      await h.send(users[role].say(message));
      return JSON.stringify(h.connector.sentActivities());
    };
    expect(await output('staff', 'resultater')).toContain(text('share.staffBanner'));
    expect(await output('admin', 'resultater')).toContain(text('share.staffNothing'));
    for (const role of ['staff', 'admin'] as const) {
      expect(await output(role, 'trend')).toContain(text('results.notAllowed'));
      expect(await output(role, 'kommentarer')).toContain(text('results.notAllowed'));
    }
  });
});
