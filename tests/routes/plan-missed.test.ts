import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osloLocalToInstant } from '../../src/domain/schedule.ts';
import { firePlan } from '../../src/services/plan-runner.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';

// A plan whose times passed while the bot was down is sent once when it is
// back, and then goes on from now: not once per missed week.
let h: Harness;
const ola = teamsUser('ola-missed', { name: 'Ola Rektor' });
const at = (date: string, time: string) => osloLocalToInstant(date, time);

beforeAll(async () => {
  h = await startHarness();
  await h.send(ola.install());
});
afterAll(async () => {
  await h?.close();
});

describe('a missed weekly plan', () => {
  it('fires once three weeks late, and its next run is the next Wednesday after now', async () => {
    const tenant = await h.db.prisma.tenant.findFirstOrThrow();
    const root = await h.db.prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } });
    const first = at('2031-09-10', '14:00');
    const plan = await h.deps.plans.create(
      { tenantId: tenant.id, unitId: root.id, templateId: 'laringsmiljo-1', roleFilter: [], firstSendAt: first, recurrence: 'weekly', endsAt: null, windowMinutes: 120, reminders: [], maxReminders: 0, onClose: 'publish', skipHolidays: false, createdById: null },
      first,
    );
    h.deps.clock = () => at('2031-10-01', '09:00'); // three Wednesdays later, a Wednesday morning
    await firePlan(h.deps, plan.id, first.toISOString());
    await h.settle();
    expect(await h.db.prisma.pulse.count({ where: { planId: plan.id } })).toBe(1);
    const row = await h.db.prisma.pulsePlan.findUniqueOrThrow({ where: { id: plan.id } });
    expect(row.nextRunAt?.toISOString()).toBe(at('2031-10-01', '14:00').toISOString());
  });
});
