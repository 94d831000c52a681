import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';
import { seedAnsweredPulse } from '../helpers/seed-pulse.ts';
import { RETENTION_CRON } from '../../src/domain/retention.ts';
import { runRetention } from '../../src/services/retention.ts';

// The nightly retention job (issue 8): old answers and comments go, the leader's results stay word for word.
let h: Harness;
const leader = teamsUser('rektor-ret', { name: 'Rita Rektor' });
let pulseId: string;

const resultsCard = async (text: string) => {
  await h.send(leader.say(text));
  return JSON.stringify(h.connector.sentActivities().at(-1)!.attachments);
};

beforeAll(async () => {
  h = await startHarness();
  await h.send(leader.install());
  await h.send(leader.say('rolle meg leder'));
  const prisma = h.db.prisma;
  const tenant = await prisma.tenant.findFirstOrThrow();
  const root = await prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } });
  const school = await prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: 'Sørby skole', schoolLevel: 'barnetrinn' } });
  ({ pulseId } = await seedAnsweredPulse(h.db, {
    unitId: school.id,
    prefix: 'ret',
    groups: [
      ['teacher', 9, (item) => (item.startsWith('competence') ? 2 : 4)],
      ['school_assistant', 7, (item) => (item === 'competence-digitale-krenkelser' ? 1 : 3)],
      ['sfo_leader', 2, () => 5],
    ],
  }));
  const someone = await prisma.answer.findFirstOrThrow({ where: { pulseId } });
  await prisma.answer.create({ data: { pulseId, personId: someone.personId, itemId: 'comment', value: null, comment: 'Vi trenger mer tid', staffRole: 'teacher', schoolLevel: 'barnetrinn', schoolId: school.id, answeredAt: someone.answeredAt } });
});
afterAll(async () => {
  await h?.close();
});

describe('answer retention', () => {
  it('keeps the leader\'s results identical, removes the answers and comments, and does nothing the second time', async () => {
    const views = ['resultater', 'resultater for lærere', 'hindringer', 'resultater for barnetrinnet'];
    const before = [];
    for (const v of views) before.push(await resultsCard(v));
    expect(before[0]).toContain('18 svarte');
    const realClock = h.deps.clock;
    // Run the job as it would run 731 days after the pulse closed.
    h.deps.clock = () => new Date(new Date('2026-11-08T15:00:00Z').getTime() + 731 * 86_400_000);
    try {
      const done = await runRetention(h.deps);
      expect(done).toHaveLength(1);
      expect(done[0]).toMatchObject({ pulses: 1, comments: 1, frozenPulses: 1 });
      expect(await runRetention(h.deps)).toEqual([]);
    } finally {
      h.deps.clock = realClock;
    }
    expect(await h.db.prisma.answer.count({ where: { pulseId } })).toBe(0);
    expect(await h.db.prisma.answer.count({ where: { comment: { not: null } } })).toBe(0);
    const after = [];
    for (const v of views) after.push(await resultsCard(v));
    expect(after).toEqual(before);
    const audit = await h.db.prisma.auditEntry.findMany({ where: { action: 'answers.retention' } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(h.logLines.filter((l) => l.msg === 'answer retention ran'))).not.toContain('Vi trenger');
  });

  it('is scheduled as a daily pg-boss job', async () => {
    const schema = h.db.jobs.kind === 'pglite' ? 'pgboss' : h.db.jobs.schema;
    const rows = await h.db.sql.query<{ name: string; cron: string; timezone: string }>(`SELECT name, cron, timezone FROM "${schema}".schedule WHERE name = 'answer-retention'`);
    expect(rows).toEqual([{ name: 'answer-retention', cron: RETENTION_CRON, timezone: 'Europe/Oslo' }]);
  });
});
