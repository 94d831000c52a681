import { describe, expect, it } from 'vitest';
import { defaultFirstDate, newPlanValues, parsePlanForm, planToValues, type PlanFormContext, type PlanFormResult } from '../../src/domain/plan-form.ts';
import { osloLocalToInstant } from '../../src/domain/schedule.ts';

const UNIT = '2b6c5d4e-1d4b-4c8e-9a7f-3f0a9c2e3f21';
/** Monday 8 September 2031, 09:00 in Oslo. */
const NOW = osloLocalToInstant('2031-09-08', '09:00');

const ctx = (over: Partial<PlanFormContext> = {}): PlanFormContext => ({
  templateIds: ['laringsmiljo-1', 'hindringer-tilrettelegging'],
  unitIds: [UNIT],
  holidays: [],
  now: NOW,
  ...over,
});

/** What the card sends for a weekly Wednesday-14:00 plan in fellestid; override any field. */
const form = (over: Record<string, unknown> = {}) => ({
  planId: '',
  templateId: 'laringsmiljo-1',
  unitId: UNIT,
  roles: '',
  firstDate: '2031-09-10',
  time: '14:00',
  recurrence: 'weekly',
  window: '2h',
  reminders: '',
  maxReminders: '2',
  onClose: 'publish',
  skipHolidays: 'true',
  ...over,
});

const problemKeys = (r: PlanFormResult) => (r.ok ? [] : r.problems.map((p) => p.key));
const draftOf = (r: PlanFormResult) => {
  if (!r.ok) throw new Error(`expected a valid form, got ${problemKeys(r).join(', ')}`);
  return r.draft;
};

describe('parsePlanForm: a valid plan', () => {
  it('reads a weekly Wednesday 14:00 plan; the first run is that Wednesday at 14:00 Oslo time', () => {
    const draft = draftOf(parsePlanForm(form({ roles: 'teacher,child_youth_worker,teacher', reminders: 'before2h', window: '3d' }), ctx()));
    expect(draft).toMatchObject({
      planId: null,
      templateId: 'laringsmiljo-1',
      unitId: UNIT,
      roleFilter: ['teacher', 'child_youth_worker'],
      recurrence: 'weekly',
      window: '3d',
      windowMinutes: 3 * 24 * 60,
      reminderKeys: ['before2h'],
      reminders: [{ kind: 'beforeClose', minutes: 120 }],
      maxReminders: 2,
      onClose: 'publish',
      skipHolidays: true,
    });
    // 14:00 CEST is 12:00Z.
    expect(draft.firstSendAt.toISOString()).toBe('2031-09-10T12:00:00.000Z');
    expect(draft.nextRunAt.toISOString()).toBe('2031-09-10T12:00:00.000Z');
  });

  it('accepts the time with seconds (some clients send HH:MM:SS) and keeps whole minutes', () => {
    expect(draftOf(parsePlanForm(form({ time: '14:00:00' }), ctx())).firstSendAt.toISOString()).toBe('2031-09-10T12:00:00.000Z');
  });

  it('uses the form defaults, which fit together, for inputs a client left out', () => {
    const { recurrence: _r, window: _w, reminders: _rem, maxReminders: _m, onClose: _o, skipHolidays: _s, ...minimal } = form();
    const draft = draftOf(parsePlanForm(minimal, ctx()));
    expect(draft).toMatchObject({ recurrence: 'weekly', window: '3d', reminderKeys: ['after1d', 'before1d'], maxReminders: 2, onClose: 'publish', skipHolidays: true });
    expect(parsePlanForm({ ...newPlanValues(NOW), templateId: 'laringsmiljo-1', unitId: UNIT }, ctx()).ok).toBe(true);
  });

  it('keeps the plan id when editing', () => {
    expect(draftOf(parsePlanForm(form({ planId: '7d9f0a52-3b1c-4f4e-9a51-0c6f7b1d2e3f' }), ctx())).planId).toBe('7d9f0a52-3b1c-4f4e-9a51-0c6f7b1d2e3f');
  });

  it('publishAndPost and skipHolidays=false are read as chosen', () => {
    expect(draftOf(parsePlanForm(form({ onClose: 'publishAndPost', skipHolidays: 'false' }), ctx()))).toMatchObject({ onClose: 'publishAndPost', skipHolidays: false });
  });
});

describe('parsePlanForm: problems, each an i18n key', () => {
  it('the first send time must be in the future (now itself is too late)', () => {
    expect(problemKeys(parsePlanForm(form({ firstDate: '2031-09-08', time: '08:59' }), ctx()))).toEqual(['plan.problem.past']);
    expect(problemKeys(parsePlanForm(form({ firstDate: '2031-09-08', time: '09:00' }), ctx()))).toEqual(['plan.problem.past']);
    expect(parsePlanForm(form({ firstDate: '2031-09-08', time: '09:01' }), ctx()).ok).toBe(true);
  });

  it('refuses a missing or impossible date and a malformed time', () => {
    expect(problemKeys(parsePlanForm(form({ firstDate: '' }), ctx()))).toEqual(['plan.problem.date']);
    expect(problemKeys(parsePlanForm(form({ firstDate: '2031-02-30' }), ctx()))).toEqual(['plan.problem.date']);
    expect(problemKeys(parsePlanForm(form({ time: '25:00' }), ctx()))).toEqual(['plan.problem.time']);
    expect(problemKeys(parsePlanForm(form({ time: '' }), ctx()))).toEqual(['plan.problem.time']);
  });

  it('refuses a template, unit or role that is not on the lists (a forged card)', () => {
    const r = parsePlanForm(form({ templateId: 'nope', unitId: '00000000-0000-4000-8000-000000000000', roles: 'teacher,astronaut' }), ctx());
    expect(problemKeys(r)).toEqual(['plan.problem.template', 'plan.problem.unit', 'plan.problem.roles']);
  });

  it('refuses unknown recurrence, window, reminders, max reminders, close action and toggle values', () => {
    const r = parsePlanForm(form({ recurrence: 'daily', window: '5y', reminders: 'after1d,hourly', maxReminders: '4', onClose: 'email', skipHolidays: 'maybe' }), ctx());
    expect(problemKeys(r)).toEqual(['plan.problem.recurrence', 'plan.problem.window', 'plan.problem.reminders', 'plan.problem.maxReminders', 'plan.problem.onClose', 'plan.problem.skipHolidays']);
    expect(problemKeys(parsePlanForm(form({ maxReminders: '' }), ctx()))).toEqual(['plan.problem.maxReminders']);
    expect(problemKeys(parsePlanForm(form({ maxReminders: '-1' }), ctx()))).toEqual(['plan.problem.maxReminders']);
  });

  it('the window must end before the next occurrence of a recurring plan, and says so', () => {
    const tooLong = parsePlanForm(form({ recurrence: 'weekly', window: '1w' }), ctx());
    expect(tooLong.ok ? [] : tooLong.problems).toEqual([{ field: 'window', key: 'plan.problem.windowTooLong.weekly', labels: { window: 'start.window.1w' } }]);
    expect(problemKeys(parsePlanForm(form({ recurrence: 'weekly', window: '2w' }), ctx()))).toEqual(['plan.problem.windowTooLong.weekly']);
    expect(problemKeys(parsePlanForm(form({ recurrence: 'biweekly', window: '2w' }), ctx()))).toEqual(['plan.problem.windowTooLong.biweekly']);
    for (const ok of [
      { recurrence: 'weekly', window: '3d' },
      { recurrence: 'biweekly', window: '1w' },
      { recurrence: 'monthly', window: '2w' },
      // SNELD ran its survey over two weeks: fine as a one-off.
      { recurrence: 'none', window: '2w' },
    ]) {
      expect(parsePlanForm(form(ok), ctx()).ok, JSON.stringify(ok)).toBe(true);
    }
  });

  it('a reminder that can never fall inside the window is refused, naming it and the window', () => {
    const r = parsePlanForm(form({ window: '2h', reminders: 'after1d,before2h' }), ctx());
    expect(r.ok ? [] : r.problems).toEqual([
      { field: 'reminders', key: 'plan.problem.reminderOutside', labels: { reminder: 'plan.reminder.after1d', window: 'start.window.2h' } },
      { field: 'reminders', key: 'plan.problem.reminderOutside', labels: { reminder: 'plan.reminder.before2h', window: 'start.window.2h' } },
    ]);
    // "1 dag før frist" with a one-day window would be at the very start.
    expect(problemKeys(parsePlanForm(form({ window: '1d', reminders: 'before1d' }), ctx()))).toEqual(['plan.problem.reminderOutside']);
    expect(parsePlanForm(form({ window: '3d', reminders: 'after1d,before1d,before2h', maxReminders: '3' }), ctx()).ok).toBe(true);
  });

  it('gives back the values as typed, so the card can be shown again', () => {
    const r = parsePlanForm(form({ firstDate: '2031-02-30', roles: 'teacher', window: '3d' }), ctx());
    expect(r.ok).toBe(false);
    expect(r.values).toMatchObject({ firstDate: '2031-02-30', roles: 'teacher', window: '3d', time: '14:00' });
  });
});

describe('parsePlanForm: holidays', () => {
  // Kristi himmelfartsdag 2031 is Thursday 22 May.
  const thursday = form({ firstDate: '2031-05-22', time: '14:00', recurrence: 'weekly' });
  const spring = ctx({ now: osloLocalToInstant('2031-05-19', '09:00') });

  it('a recurring plan skips a first date on a public holiday; the next run is a week later', () => {
    const draft = draftOf(parsePlanForm(thursday, spring));
    expect(draft.firstSendAt.toISOString()).toBe(osloLocalToInstant('2031-05-22', '14:00').toISOString());
    expect(draft.nextRunAt.toISOString()).toBe(osloLocalToInstant('2031-05-29', '14:00').toISOString());
  });

  it('without skipping, or for a one-off, the holiday itself is used', () => {
    expect(draftOf(parsePlanForm({ ...thursday, skipHolidays: 'false' }, spring)).nextRunAt.toISOString()).toBe(osloLocalToInstant('2031-05-22', '14:00').toISOString());
    expect(draftOf(parsePlanForm({ ...thursday, recurrence: 'none' }, spring)).nextRunAt.toISOString()).toBe(osloLocalToInstant('2031-05-22', '14:00').toISOString());
  });

  it("the tenant's own closed period is skipped too, and a plan that could never run is refused", () => {
    const autumnBreak = ctx({ holidays: [{ from: '2031-09-08', to: '2031-09-12' }] });
    expect(draftOf(parsePlanForm(form(), autumnBreak)).nextRunAt.toISOString()).toBe(osloLocalToInstant('2031-09-17', '14:00').toISOString());
    const closedForever = ctx({ holidays: [{ from: '2031-01-01', to: '2045-12-31' }] });
    expect(problemKeys(parsePlanForm(form(), closedForever))).toEqual(['plan.problem.noOccurrence']);
  });
});

describe('form values for a new plan and for "Endre"', () => {
  it('suggests the next Wednesday at 14:00 (fellestid), never today', () => {
    expect(defaultFirstDate(NOW)).toBe('2031-09-10');
    expect(defaultFirstDate(osloLocalToInstant('2031-09-10', '08:00'))).toBe('2031-09-17');
    // 23:30 on Tuesday in Oslo is already Tuesday 21:30Z — the Oslo date counts.
    expect(defaultFirstDate(osloLocalToInstant('2031-09-09', '23:30'))).toBe('2031-09-10');
    expect(newPlanValues(NOW, { templateId: 'laringsmiljo-1' })).toMatchObject({ templateId: 'laringsmiljo-1', unitId: '', firstDate: '2031-09-10', time: '14:00', recurrence: 'weekly', skipHolidays: 'true' });
  });

  it('a stored plan comes back as the same form, with its next run as the first date', () => {
    const draft = draftOf(parsePlanForm(form({ recurrence: 'biweekly', window: '1w', roles: 'teacher', reminders: 'after1d,before2h', maxReminders: '1', onClose: 'publishAndPost', skipHolidays: 'false' }), ctx()));
    const stored = { id: '7d9f0a52-3b1c-4f4e-9a51-0c6f7b1d2e3f', ...draft };
    const nextRun = osloLocalToInstant('2031-09-24', '14:00');
    const values = planToValues(stored, nextRun);
    expect(values).toEqual({
      planId: stored.id,
      templateId: 'laringsmiljo-1',
      unitId: UNIT,
      roles: 'teacher',
      firstDate: '2031-09-24',
      time: '14:00',
      recurrence: 'biweekly',
      window: '1w',
      reminders: 'after1d,before2h',
      maxReminders: '1',
      onClose: 'publishAndPost',
      skipHolidays: 'false',
    });
    const again = draftOf(parsePlanForm(values, ctx()));
    expect({ ...again, firstSendAt: null, nextRunAt: null, planId: null }).toEqual({ ...draft, firstSendAt: null, nextRunAt: null, planId: null });
  });
});
