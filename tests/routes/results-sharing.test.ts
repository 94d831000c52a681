import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/translate.ts';
import { closePulse } from '../../src/services/pulse-closing.ts';
import { fixture, startHarness, type Harness } from '../helpers/harness.ts';
import { invokeCard, teamsUser } from '../helpers/people.ts';
import { seedAnsweredPulse } from '../helpers/seed-pulse.ts';

// A leader shares the latest round's anonymous summary with the staff of
// the unit; staff of that unit (and of the units below it, and the pulse's
// recipients) then see it with «resultater», and nobody else does.
let h: Harness;
const t = translator('nb');
const it_admin = teamsUser('it-admin', { name: 'Ivar IT' }); // the first installer: admin, no leader role, no unit
const rektor = teamsUser('rektor', { name: 'Rita Rektor' }); // leader of Nordby skole
const kari = teamsUser('kari', { name: 'Kari Nordmann' }); // member of Nordby skole
const ola = teamsUser('ola', { name: 'Ola Teamsen' }); // member of team 5A, below Nordby skole
const siri = teamsUser('siri', { name: 'Siri Sørby' }); // member of Sørby skole (a sibling school)
const per = teamsUser('per', { name: 'Per Vikar' }); // no unit, but was sent the Nordby pulse
let nordbyPulse = '';
let sorbyPulse = '';

const sent = () => h.connector.sentActivities();
const lastText = () => sent().at(-1)!.text;
const lastCard = () => JSON.stringify(sent().at(-1));
const pulseRow = (id: string) => h.db.prisma.pulse.findUniqueOrThrow({ where: { id } });
const personId = async (u: { from: { id: string } }) => (await h.db.prisma.person.findFirstOrThrow({ where: { teamsUserId: u.from.id } })).id;
const sharedAudits = () => h.db.prisma.auditEntry.findMany({ where: { action: 'results.shared' } });

beforeAll(async () => {
  h = await startHarness();
  for (const u of [it_admin, rektor, kari, ola, siri, per]) await h.send(u.install());
  const prisma = h.db.prisma;
  const tenant = await prisma.tenant.findFirstOrThrow();
  const root = await prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } });
  const nordby = await prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: 'Nordby skole', schoolLevel: 'ungdomstrinn' } });
  const team5a = await prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: nordby.id, kind: 'team', name: 'Team 5A' } });
  const sorby = await prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: 'Sørby skole', schoolLevel: 'barnetrinn' } });
  await prisma.roleAssignment.create({ data: { personId: await personId(rektor), unitId: nordby.id, role: 'leader' } });
  await prisma.membership.createMany({
    data: [
      { personId: await personId(rektor), unitId: nordby.id, source: 'import' },
      { personId: await personId(kari), unitId: nordby.id, source: 'import' },
      { personId: await personId(ola), unitId: team5a.id, source: 'import' },
      { personId: await personId(siri), unitId: sorby.id, source: 'import' },
    ],
  });
  // 8 teachers, 6 child and youth workers (BUA), 2 SFO leaders, 3 without a role: the last two groups are under k = 5.
  nordbyPulse = (
    await seedAnsweredPulse(h.db, {
      unitId: nordby.id,
      prefix: 'nordby',
      groups: [
        ['teacher', 8, (item) => (item.startsWith('competence') ? 4 : 3)],
        ['child_youth_worker', 6, (item) => (item === 'competence-digitale-krenkelser' ? 1 : item === 'importance-digitale-krenkelser' ? 5 : item.startsWith('competence') ? 3 : 4)],
        ['sfo_leader', 2, () => 2],
        [null, 3, () => 3],
      ],
    })
  ).pulseId;
  sorbyPulse = (await seedAnsweredPulse(h.db, { unitId: sorby.id, prefix: 'sorby', groups: [['teacher', 9, () => 2]] })).pulseId;
  await prisma.pulseRecipient.create({ data: { pulseId: nordbyPulse, personId: await personId(per) } });
});
afterAll(async () => {
  await h?.close();
});

describe('before anything is shared', () => {
  it('staff, and an admin without a leader role, get a friendly message and no figures', async () => {
    for (const u of [kari, ola, it_admin]) {
      await h.send(u.say('resultater'));
      expect(lastText()).toBe(t('share.staffNothing'));
    }
  });

  it('the leader sees the full view with «Del med ansatte», carrying the round\'s pulse ids', async () => {
    await h.send(rektor.say('resultater'));
    const card = lastCard();
    expect(card).toContain('Nordby skole');
    expect(card).toContain('"type":"Action.Execute","title":"Del med ansatte","verb":"results.share"');
    expect(card).toContain(`"pulseIds":"${nordbyPulse}"`);
    expect(card).not.toContain(sorbyPulse);
  });

  it('staff do not get the button or the command in help; the leader gets the command', async () => {
    await h.send(kari.say('hjelp'));
    const staffHelp = lastCard();
    expect(staffHelp).toContain('resultater');
    expect(staffHelp).not.toContain('del resultater');
    await h.send(rektor.say('hjelp'));
    expect(lastCard()).toContain('del resultater');
  });
});

describe('refused shares change nothing', () => {
  it('a forged share from staff is refused with a clear message', async () => {
    for (const verb of ['results.share', 'results.shareConfirm']) {
      const card = invokeCard(await h.send(kari.act(verb, { pulseIds: nordbyPulse })));
      expect(card).toContain(t('share.notAllowed'));
    }
    await h.send(kari.say('del resultater'));
    expect(lastText()).toBe(t('share.notAllowed'));
    expect((await pulseRow(nordbyPulse)).sharedWithStaffAt).toBeNull();
    expect(await sharedAudits()).toHaveLength(0);
  });

  it('an admin without a leader role cannot share', async () => {
    expect(invokeCard(await h.send(it_admin.act('results.shareConfirm', { pulseIds: nordbyPulse })))).toContain(t('share.notAllowed'));
    expect((await pulseRow(nordbyPulse)).sharedWithStaffAt).toBeNull();
  });

  it('a leader cannot share a pulse outside their units, not even mixed in with their own; damaged ids are refused', async () => {
    for (const pulseIds of [sorbyPulse, `${nordbyPulse},${sorbyPulse}`, 'not-a-pulse', `${nordbyPulse},00000000-0000-4000-8000-000000000000`, '']) {
      expect(invokeCard(await h.send(rektor.act('results.shareConfirm', { pulseIds })))).toContain(t('share.notAllowed'));
    }
    expect((await pulseRow(nordbyPulse)).sharedWithStaffAt).toBeNull();
    expect((await pulseRow(sorbyPulse)).sharedWithStaffAt).toBeNull();
    expect(await sharedAudits()).toHaveLength(0);
    expect(h.logLines.filter((l) => l.msg === 'results share refused').length).toBeGreaterThanOrEqual(5);
  });
});

describe('the leader shares', () => {
  it('«del resultater» shows exactly what staff will see, with no figures, before anything is shared', async () => {
    await h.send(rektor.say('del resultater'));
    const card = lastCard();
    expect(card).toContain(t('share.title'));
    expect(card).toContain('«Læringsmiljø – behov» · Nordby skole');
    expect(card).toContain(t('share.intro', { units: 'Nordby skole' }));
    expect(card).toContain(t('share.shows.summary'));
    expect(card).toContain(t('share.shows.groups'));
    expect(card).toContain(t('share.shows.k', { k: 5 }));
    expect(card).toContain(t('share.hides'));
    expect(card).toContain('"verb":"results.shareConfirm"');
    expect(card).toContain(`"pulseIds":"${nordbyPulse}"`);
    expect(card).toContain('"verb":"results.shareCancel"');
    expect(card).not.toMatch(/\d+ %/);
    expect((await pulseRow(nordbyPulse)).sharedWithStaffAt).toBeNull();
  });

  it('the button keeps the results card and sends the confirmation below it; cancel changes nothing', async () => {
    const before = sent().length;
    const res = await h.send(rektor.act('results.share', { pulseIds: nordbyPulse }));
    expect(res.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: t('share.confirmBelow') });
    expect(sent().length).toBe(before + 1);
    expect(lastCard()).toContain('"verb":"results.shareConfirm"');
    expect(invokeCard(await h.send(rektor.act('results.shareCancel', {})))).toContain(t('share.cancelled'));
    expect((await pulseRow(nordbyPulse)).sharedWithStaffAt).toBeNull();
  });

  it('confirming shares the pulse, records who did, and is audited', async () => {
    const card = invokeCard(await h.send(rektor.act('results.shareConfirm', { pulseIds: nordbyPulse })));
    expect(card).toContain(t('share.done', { units: 'Nordby skole' }));
    const row = await pulseRow(nordbyPulse);
    expect(row.sharedWithStaffAt).toBeInstanceOf(Date);
    expect(row.sharedById).toBe(await personId(rektor));
    const audits = await sharedAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: await personId(rektor), target: nordbyPulse, details: { pulses: 1, newlyShared: 1 } });
  });

  it('sharing twice changes nothing: same date, same sharer, no second audit row', async () => {
    const first = (await pulseRow(nordbyPulse)).sharedWithStaffAt!.getTime();
    const card = invokeCard(await h.send(rektor.act('results.shareConfirm', { pulseIds: nordbyPulse })));
    expect(card).toContain('Dette er allerede delt med ansatte');
    await h.send(rektor.say('del resultater'));
    expect(lastText()).toMatch(/^Dette er allerede delt med ansatte/);
    expect((await pulseRow(nordbyPulse)).sharedWithStaffAt!.getTime()).toBe(first);
    expect(await sharedAudits()).toHaveLength(1);
  });

  it('the leader still gets the full view, now saying it is shared, without the button', async () => {
    await h.send(rektor.say('hva trenger BUA mest?'));
    const card = lastCard();
    expect(card).toContain('Delt med ansatte');
    expect(card).not.toContain('"verb":"results.share"');
    expect(card).toContain('Barne- og ungdomsarbeider minst 83 %');
    expect(card).toContain('6 svarte');
  });
});

describe('staff see the shared summary of their own unit', () => {
  it('staff of the unit get the all-staff summary and each group\'s top need, labelled as shared, with groups under k hidden; audited as the shared view', async () => {
    await h.send(kari.say('resultater'));
    const card = lastCard();
    expect(card).toContain('Delt av ledelsen');
    expect(card).toContain('Resultater: Læringsmiljø – behov');
    expect(card).toContain('Nordby skole');
    expect(card).toContain('19 svarte');
    expect(card).toMatch(/"title":"Lærer","value":"[^"]+ \d+ %"/);
    expect(card).toMatch(/"title":"Barne- og ungdomsarbeider","value":"Digitale krenkelser minst 83 %"/);
    expect(card).toMatch(/"title":"SFO-leder eller baseleder","value":"for få svar \(under 5\)"/);
    expect(card).toMatch(/"title":"Uten oppgitt rolle","value":"for få svar \(under 5\)"/);
    expect(card).toContain(t('share.staffHint'));
    // No button, no leader hints, no names.
    expect(card).not.toContain('Action.Execute');
    expect(card).not.toContain('Del med ansatte');
    expect(card).not.toContain(t('results.hint'));
    expect(card).not.toContain('Ansatt ');
    const audit = await h.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'results.viewed', actorId: await personId(kari) } });
    expect(audit).toMatchObject({ target: nordbyPulse, details: { view: 'shared', group: 'all', focus: 'summary' } });
  });

  it('staff asking about one group or barriers still get only the shared all-staff summary', async () => {
    for (const text of ['resultater for SFO-ledere', 'hindringer', 'resultater for ungdomstrinnet']) {
      await h.send(kari.say(text));
      const card = lastCard();
      expect(card).toContain('Delt av ledelsen');
      expect(card).toContain('19 svarte');
      expect(card).not.toContain('Hindringer – andel');
      expect(card).not.toContain('SFO-leder eller baseleder: for få svar');
    }
  });

  it('staff of a unit below see it; so does someone who was sent the pulse', async () => {
    for (const u of [ola, per]) {
      await h.send(u.say('resultater'));
      expect(lastCard()).toContain('Delt av ledelsen');
      expect(lastCard()).toContain('19 svarte');
    }
  });

  it('staff of a sibling school, and an admin without a leader role or unit, see nothing', async () => {
    for (const u of [siri, it_admin]) {
      await h.send(u.say('resultater'));
      expect(lastText()).toBe(t('share.staffNothing'));
    }
  });

  it('leader-only views stay leader-only for staff: trend, comments, export', async () => {
    await h.send(kari.say('trend'));
    expect(lastText()).toBe(t('results.notAllowed'));
    await h.send(kari.say('kommentarer'));
    expect(lastText()).toBe(t('results.notAllowed'));
    await h.send(kari.say('eksport'));
    expect(lastText()).toBe(t('export.notAllowed'));
  });

  it('in a channel, staff are told to ask in personal chat and get no figures', async () => {
    await h.send(fixture('personal-message', { from: kari.from, conversation: { id: '19:kanal@thread.tacv2', conversationType: 'channel' }, locale: 'nb-NO', text: 'resultater' }));
    expect(lastText()).toBe(t('share.staffPersonalOnly'));
  });

  it('once Sørby\'s round is shared too, its staff see Sørby only; someone in both schools sees one school, never the two added up', async () => {
    await h.db.prisma.pulse.update({ where: { id: sorbyPulse }, data: { sharedWithStaffAt: new Date() } });
    await h.send(siri.say('resultater'));
    expect(lastCard()).toContain('Sørby skole');
    expect(lastCard()).toContain('9 svarte');
    expect(lastCard()).not.toContain('Nordby skole');
    const sorby = (await h.db.prisma.pulse.findUniqueOrThrow({ where: { id: sorbyPulse } })).unitId;
    await h.db.prisma.membership.create({ data: { personId: await personId(kari), unitId: sorby, source: 'import' } });
    await h.send(kari.say('resultater'));
    const card = lastCard();
    expect(card).toMatch(/Nordby skole · stengt [^"]+ · 19 svarte|Sørby skole · stengt [^"]+ · 9 svarte/);
    expect(card).not.toContain('28 svarte');
  });

  it('nynorsk and English commands work for the leader', async () => {
    const nn = teamsUser('rektor', { locale: 'nn-NO' });
    await h.send(nn.say('del resultata'));
    expect(lastText()).toMatch(/^Dette er allereie delt med tilsette/);
    const en = teamsUser('rektor', { locale: 'en-US' });
    await h.send(en.say('share results'));
    expect(lastText()).toMatch(/^This is already shared with staff/);
  });
});

describe('the summary at close', () => {
  it('gives the unit\'s leader «Del med ansatte» for the pulse that just closed', async () => {
    const nordby = (await pulseRow(nordbyPulse)).unitId;
    const { pulseId } = await seedAnsweredPulse(h.db, { unitId: nordby, status: 'open', prefix: 'close', closesAt: new Date('2026-11-20T15:00:00Z'), groups: [['teacher', 6, () => 3]] });
    h.deps.clock = () => new Date('2026-11-20T15:01:00Z');
    h.connector.reset();
    await closePulse(h.deps, pulseId);
    const toRektor = h.connector.calls.filter((c) => c.method === 'POST' && c.conversationId === rektor.conversationId && /\/activities/.test(c.path)).map((c) => JSON.stringify(c.body));
    expect(toRektor).toHaveLength(1);
    expect(toRektor[0]).toContain('"verb":"results.share"');
    expect(toRektor[0]).toContain(`"pulseIds":"${pulseId}"`);
    expect((await pulseRow(pulseId)).sharedWithStaffAt).toBeNull();
  });
});
