import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorRepository } from '../../src/db/actor-repository.ts';
import type { Database } from '../../src/db/database.ts';
import { pulseRepository } from '../../src/db/pulse-repository.ts';
import { buildPulseContent } from '../../src/domain/pulse-content.ts';
import { loadQuestionBank } from '../../src/question-bank/load-question-bank.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

/**
 * The answer path's two SQL statements (the hot path of bench/ingest.ts), on
 * the real database: what the ORM version did, row for row — the pulse only
 * within its tenant, the recipient check, the school found up the unit tree,
 * a submission replaced whole with its audit row, and nothing at all stored
 * for someone who is not a recipient. And the one read at the start of a turn.
 */
describe('answer path and turn snapshot (SQL)', () => {
  let db: Database;
  let pulses: ReturnType<typeof pulseRepository>;
  const ids = {} as Record<'tenant' | 'other' | 'root' | 'school' | 'team' | 'pulse' | 'otherPulse' | 'kari' | 'ola' | 'loop1' | 'loop2', string>;
  const at = new Date('2026-11-20T09:00:00.000Z');
  const later = new Date('2026-11-20T09:05:00.000Z');

  const answersOf = (personId: string) =>
    db.prisma.answer.findMany({ where: { pulseId: ids.pulse, personId }, orderBy: { itemId: 'asc' }, select: { itemId: true, value: true, comment: true, staffRole: true, schoolLevel: true, schoolId: true, answeredAt: true, updatedAt: true } });
  const auditsOf = (personId: string) => db.prisma.auditEntry.findMany({ where: { actorId: personId, action: 'pulse.answered' }, orderBy: { id: 'asc' } });

  beforeAll(async () => {
    db = await openTestDatabase();
    pulses = pulseRepository(db.prisma, db.sql);
    const p = db.prisma;
    const content = buildPulseContent(loadQuestionBank(), 'laringsmiljo-1');
    const tenant = await p.tenant.create({ data: { teamsTenantId: 'answer-store', minGroupSize: 7 } });
    const other = await p.tenant.create({ data: { teamsTenantId: 'answer-store-other' } });
    const root = await p.orgUnit.create({ data: { tenantId: tenant.id, kind: 'organisation', name: 'Fjordvik kommune' } });
    const school = await p.orgUnit.create({ data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: 'Nordby skole' } });
    const team = await p.orgUnit.create({ data: { tenantId: tenant.id, parentId: school.id, kind: 'team', name: 'Team 5.–7.' } });
    // Two units pointing at each other: the walk up the tree must stop.
    const loop1 = await p.orgUnit.create({ data: { tenantId: tenant.id, kind: 'team', name: 'Løkke 1' } });
    const loop2 = await p.orgUnit.create({ data: { tenantId: tenant.id, parentId: loop1.id, kind: 'team', name: 'Løkke 2' } });
    await p.orgUnit.update({ where: { id: loop1.id }, data: { parentId: loop2.id } });
    const kari = await p.person.create({ data: { tenantId: tenant.id, teamsUserId: '29:kari', name: 'Kari', staffRole: 'teacher', schoolLevel: 'barnetrinn', pupilGroups: ['bullied'], preferredLanguage: 'nn', profileSavedAt: new Date('2026-11-02T07:30:00.123Z') } });
    const ola = await p.person.create({ data: { tenantId: tenant.id, teamsUserId: '29:ola', name: 'Ola' } });
    await p.membership.create({ data: { personId: kari.id, unitId: team.id, source: 'teams' } });
    await p.membership.create({ data: { personId: ola.id, unitId: loop1.id, source: 'teams' } });
    await p.roleAssignment.createMany({ data: [{ personId: kari.id, unitId: school.id, role: 'leader' }, { personId: kari.id, unitId: root.id, role: 'staff' }] });
    const pulseData = { templateId: content.templateId, bankVersion: content.bankVersion, content: content as object, status: 'open' as const, opensAt: at, closesAt: new Date('2026-11-27T15:00:00Z'), roleFilter: ['teacher' as const], remindAt: [new Date('2026-11-24T08:00:00Z')] };
    const pulse = await p.pulse.create({ data: { tenantId: tenant.id, unitId: school.id, ...pulseData } });
    const otherRoot = await p.orgUnit.create({ data: { tenantId: other.id, kind: 'organisation', name: 'Annen' } });
    const otherPulse = await p.pulse.create({ data: { tenantId: other.id, unitId: otherRoot.id, ...pulseData } });
    await p.pulseRecipient.createMany({ data: [{ pulseId: pulse.id, personId: kari.id }, { pulseId: pulse.id, personId: ola.id }] });
    await p.conversationRef.create({ data: { tenantId: tenant.id, conversationId: 'a:kari', kind: 'personal', serviceUrl: 'http://127.0.0.1:1/', personId: kari.id, reference: { conversation: { id: 'a:kari' }, user: { id: '29:kari' } } } });
    Object.assign(ids, { tenant: tenant.id, other: other.id, root: root.id, school: school.id, team: team.id, pulse: pulse.id, otherPulse: otherPulse.id, kari: kari.id, ola: ola.id, loop1: loop1.id, loop2: loop2.id });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('reads the pulse within its tenant, the recipient check and the school up the unit tree', async () => {
    const ctx = await pulses.answeringContext(ids.tenant, ids.pulse, ids.kari);
    const viaOrm = await pulses.find(ids.tenant, ids.pulse);
    expect(ctx).toEqual({ pulse: viaOrm, isRecipient: true, schoolId: ids.school });
    expect(ctx!.pulse.roleFilter).toEqual(['teacher']);
    expect(ctx!.pulse.remindAt).toEqual([new Date('2026-11-24T08:00:00Z')]);
    expect(ctx!.pulse.content.items.length).toBeGreaterThan(3);
    // A member of units in a cycle: no school, and the query ends.
    expect(await pulses.answeringContext(ids.tenant, ids.pulse, ids.ola)).toMatchObject({ isRecipient: true, schoolId: null });
    // Another tenant's pulse does not exist here; neither does a malformed id.
    expect(await pulses.answeringContext(ids.tenant, ids.otherPulse, ids.kari)).toBeNull();
    expect(await pulses.answeringContext(ids.tenant, 'not-a-uuid', ids.kari)).toBeNull();
    expect(await pulses.answeringContext(ids.other, ids.otherPulse, ids.kari)).toMatchObject({ isRecipient: false, schoolId: null });
  });

  it('replaces a submission whole, with its audit row, atomically', async () => {
    const snapshot = { staffRole: 'teacher' as const, schoolLevel: 'barnetrinn' as const, schoolId: ids.school };
    await pulses.replaceAnswers(ids.pulse, ids.kari, [
      { itemId: 'a', value: 4, comment: null },
      { itemId: 'b', value: 2, comment: null },
      { itemId: 'comment', value: null, comment: 'Mer tid i fellestiden – «takk»' },
    ], snapshot, at, { tenantId: ids.tenant, details: { via: 'card', items: 3 } });
    expect(await answersOf(ids.kari)).toEqual([
      { itemId: 'a', value: 4, comment: null, ...snapshot, answeredAt: at, updatedAt: at },
      { itemId: 'b', value: 2, comment: null, ...snapshot, answeredAt: at, updatedAt: at },
      { itemId: 'comment', value: null, comment: 'Mer tid i fellestiden – «takk»', ...snapshot, answeredAt: at, updatedAt: at },
    ]);
    expect((await db.prisma.pulseRecipient.findUniqueOrThrow({ where: { pulseId_personId: { pulseId: ids.pulse, personId: ids.kari } } })).answeredAt).toEqual(at);

    // Edited: a value changes, the comment is left out, the role changed meanwhile.
    await pulses.replaceAnswers(ids.pulse, ids.kari, [
      { itemId: 'a', value: 5, comment: null },
      { itemId: 'b', value: 2, comment: null },
    ], { ...snapshot, staffRole: 'leader' }, later, { tenantId: ids.tenant, details: { via: 'text', items: 2 } });
    expect(await answersOf(ids.kari)).toEqual([
      { itemId: 'a', value: 5, comment: null, ...snapshot, staffRole: 'leader', answeredAt: later, updatedAt: later },
      { itemId: 'b', value: 2, comment: null, ...snapshot, staffRole: 'leader', answeredAt: later, updatedAt: later },
    ]);
    expect((await db.prisma.pulseRecipient.findUniqueOrThrow({ where: { pulseId_personId: { pulseId: ids.pulse, personId: ids.kari } } })).answeredAt).toEqual(later);
    expect((await auditsOf(ids.kari)).map((a) => ({ tenantId: a.tenantId, target: a.target, details: a.details }))).toEqual([
      { tenantId: ids.tenant, target: ids.pulse, details: { via: 'card', items: 3 } },
      { tenantId: ids.tenant, target: ids.pulse, details: { via: 'text', items: 2 } },
    ]);
  });

  it('stores nothing, not even an audit row, for someone who is not a recipient', async () => {
    const stranger = await db.prisma.person.create({ data: { tenantId: ids.tenant, teamsUserId: '29:stranger' } });
    const audits = await db.prisma.auditEntry.count();
    await expect(
      pulses.replaceAnswers(ids.pulse, stranger.id, [{ itemId: 'a', value: 1, comment: null }], { staffRole: null, schoolLevel: null, schoolId: null }, at, { tenantId: ids.tenant, details: { via: 'card', items: 1 } }),
    ).rejects.toThrow(/not a recipient/);
    expect(await answersOf(stranger.id)).toEqual([]);
    expect(await db.prisma.auditEntry.count()).toBe(audits);
  });

  it('finds tenant, person, roles and the stored conversation in one read; unknown parts are null', async () => {
    const actors = actorRepository(db.sql);
    const known = await actors.snapshot('answer-store', '29:kari', 'a:kari');
    expect(known.tenant).toEqual({ id: ids.tenant, teamsTenantId: 'answer-store', minGroupSize: 7, rootUnitId: ids.root });
    expect(known.person).toMatchObject({ id: ids.kari, tenantId: ids.tenant, name: 'Kari', staffRole: 'teacher', schoolLevel: 'barnetrinn', pupilGroups: ['bullied'], preferredLanguage: 'nn', profileSavedAt: new Date('2026-11-02T07:30:00.123Z'), profilePromptedAt: null });
    expect([...known.roles].sort((a, b) => a.role.localeCompare(b.role))).toEqual([{ unitId: ids.school, role: 'leader' }, { unitId: ids.root, role: 'staff' }]);
    expect(known.conversation).toEqual({ kind: 'personal', serviceUrl: 'http://127.0.0.1:1/', personId: ids.kari, teamsTeamId: null, reference: { conversation: { id: 'a:kari' }, user: { id: '29:kari' } } });

    expect(await actors.snapshot('answer-store', '29:nobody', 'a:nobody')).toMatchObject({ person: null, roles: [], conversation: null, tenant: { id: ids.tenant } });
    // An unknown tenant, and one without its root unit yet (ensureTenant must complete it): no tenant.
    expect(await actors.snapshot('answer-store-unknown', '29:kari', 'a:kari')).toEqual({ tenant: null, person: null, roles: [], conversation: null });
    await db.prisma.tenant.create({ data: { teamsTenantId: 'answer-store-rootless' } });
    expect((await actors.snapshot('answer-store-rootless', '29:kari', 'a:kari')).tenant).toBeNull();
    // The same Teams user id in another tenant is another person.
    expect((await actors.snapshot('answer-store-other', '29:kari', 'a:kari')).person).toBeNull();
  });
});
