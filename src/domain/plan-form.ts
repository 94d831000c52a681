/**
 * The plan form ("ny plan"): what a coordinator fills in, read from the
 * card's strings and checked, pure. Every problem is an i18n key, so the
 * route only renders; the form comes back with the person's values kept.
 *
 * Judgement calls:
 * - The answer window must be strictly shorter than the interval of a
 *   recurring plan (weekly < 7 days, biweekly < 14, monthly < 28: the
 *   shortest month-to-month gap). A window equal to the interval would keep
 *   the previous pulse open while the next one is sent, and across a
 *   daylight-saving change (a 167- or 169-hour week) even overlap it.
 * - A reminder that can never fall inside the window ("1 dag etter start"
 *   with a 2-hour window) is refused rather than silently dropped, so the
 *   coordinator is not promised reminders that will never go out.
 * - The first send time is an Oslo wall-clock date and time and must be
 *   after `now`. For a recurring plan that skips holidays, a first date on a
 *   holiday is skipped like every other occurrence (see schedule.ts).
 */
import type { MessageKey } from '../i18n/nb.ts';
import { isIsoDate, type DateRange } from './holidays.ts';
import { STAFF_ROLES, type StaffRole } from './profile.ts';
import { ANSWER_WINDOWS, type AnswerWindow } from './pulse-start.ts';
import { nextOccurrence, osloDate, osloLocalToInstant, osloWeekdayAndTime, RECURRENCES, type PlanSchedule, type Recurrence } from './schedule.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The reminder choices on the form. */
export const PLAN_REMINDERS = {
  after1d: { kind: 'afterOpen', minutes: 24 * 60 },
  before1d: { kind: 'beforeClose', minutes: 24 * 60 },
  before2h: { kind: 'beforeClose', minutes: 2 * 60 },
} as const satisfies Record<string, PlanReminderSpec>;
export type PlanReminderKey = keyof typeof PLAN_REMINDERS;
export const PLAN_REMINDER_KEYS = Object.keys(PLAN_REMINDERS) as PlanReminderKey[];

export type PlanReminderSpec = { kind: 'afterOpen' | 'beforeClose'; minutes: number };

export const ON_CLOSE_CHOICES = ['publish', 'publishAndPost'] as const;
export type OnClose = (typeof ON_CLOSE_CHOICES)[number];

export const MAX_REMINDER_CHOICES = [0, 1, 2, 3] as const;
export const DEFAULT_MAX_REMINDERS = 2;
export const DEFAULT_PLAN_TIME = '14:00';
export const DEFAULT_PLAN_REMINDERS: PlanReminderKey[] = ['after1d', 'before1d'];
/** Defaults that fit together: a weekly pulse open three days, reminded after a day and a day before it closes. */
export const DEFAULT_PLAN_WINDOW: AnswerWindow = '3d';

/** Shortest time between two occurrences of a recurring plan. */
export const RECURRENCE_MIN_GAP_MS: Record<Exclude<Recurrence, 'none'>, number> = {
  weekly: 7 * DAY,
  biweekly: 14 * DAY,
  monthly: 28 * DAY,
};

/** The form as the card holds it: strings, so an invalid submission can be shown again as typed. */
export type PlanFormValues = {
  planId: string;
  templateId: string;
  unitId: string;
  roles: string;
  firstDate: string;
  time: string;
  recurrence: string;
  window: string;
  reminders: string;
  maxReminders: string;
  onClose: string;
  skipHolidays: string;
};

/** A valid plan, ready to store. */
export type PlanDraft = {
  planId: string | null;
  templateId: string;
  unitId: string;
  roleFilter: StaffRole[];
  firstSendAt: Date;
  recurrence: Recurrence;
  window: AnswerWindow;
  windowMinutes: number;
  reminderKeys: PlanReminderKey[];
  reminders: PlanReminderSpec[];
  maxReminders: number;
  onClose: OnClose;
  skipHolidays: boolean;
  /** The first occurrence at or after now (null never leaves this module: it is a problem). */
  nextRunAt: Date;
};

export type PlanFormField = keyof Omit<PlanFormValues, 'planId'>;
/** A problem to show: a message key, and parameters that are themselves message keys (labels). */
export type PlanFormProblem = { field: PlanFormField; key: MessageKey; labels?: Record<string, MessageKey> };

export type PlanFormContext = {
  templateIds: readonly string[];
  /** Units the person may plan for. */
  unitIds: readonly string[];
  /** The tenant's own closed periods (only used when skipping holidays). */
  holidays: readonly DateRange[];
  now: Date;
};

export type PlanFormResult = { ok: true; draft: PlanDraft; values: PlanFormValues } | { ok: false; problems: PlanFormProblem[]; values: PlanFormValues };

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const list = (v: string) => [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))];
const isOneOf = <T extends string>(all: readonly T[], v: string): v is T => (all as readonly string[]).includes(v);

/** Card values: missing inputs get the form's defaults, everything else is kept as typed. */
export function planFormValues(input: Record<string, unknown>): PlanFormValues {
  const has = (k: string) => input[k] !== undefined && input[k] !== null;
  return {
    planId: str(input.planId),
    templateId: str(input.templateId),
    unitId: str(input.unitId),
    roles: str(input.roles),
    firstDate: str(input.firstDate),
    // Some clients send seconds ("14:00:00"); only whole minutes are used.
    time: str(input.time).replace(/^(\d{2}:\d{2}):\d{2}$/, '$1'),
    recurrence: has('recurrence') ? str(input.recurrence) : 'weekly',
    window: has('window') ? str(input.window) : DEFAULT_PLAN_WINDOW,
    reminders: has('reminders') ? str(input.reminders) : DEFAULT_PLAN_REMINDERS.join(','),
    maxReminders: has('maxReminders') ? str(input.maxReminders) : String(DEFAULT_MAX_REMINDERS),
    onClose: has('onClose') ? str(input.onClose) : 'publish',
    skipHolidays: has('skipHolidays') ? str(input.skipHolidays) : 'true',
  };
}

/**
 * Reads and checks a submitted plan form.
 *
 * @example parsePlanForm({ templateId: 'laringsmiljo-1', unitId, firstDate: '2031-09-10', time: '14:00', recurrence: 'weekly', window: '2h' }, ctx)
 */
export function parsePlanForm(input: Record<string, unknown>, ctx: PlanFormContext): PlanFormResult {
  const values = planFormValues(input);
  const problems: PlanFormProblem[] = [];
  const problem = (field: PlanFormField, key: MessageKey, labels?: Record<string, MessageKey>) => problems.push({ field, key, ...(labels ? { labels } : {}) });

  if (!ctx.templateIds.includes(values.templateId)) problem('templateId', 'plan.problem.template');
  if (!ctx.unitIds.includes(values.unitId)) problem('unitId', 'plan.problem.unit');
  const roles = list(values.roles);
  if (!roles.every((r) => isOneOf(STAFF_ROLES, r))) problem('roles', 'plan.problem.roles');

  const recurrence = values.recurrence;
  if (!isOneOf(RECURRENCES, recurrence)) problem('recurrence', 'plan.problem.recurrence');
  const window = values.window;
  const windowOk = window in ANSWER_WINDOWS;
  if (!windowOk) problem('window', 'plan.problem.window');
  const windowMs = windowOk ? ANSWER_WINDOWS[window as AnswerWindow] : 0;
  if (windowOk && isOneOf(RECURRENCES, recurrence) && recurrence !== 'none' && windowMs >= RECURRENCE_MIN_GAP_MS[recurrence]) {
    problem('window', `plan.problem.windowTooLong.${recurrence}`, { window: `start.window.${window as AnswerWindow}` });
  }

  const reminderKeys = list(values.reminders);
  if (!reminderKeys.every((r) => isOneOf(PLAN_REMINDER_KEYS, r))) problem('reminders', 'plan.problem.reminders');
  else if (windowOk) {
    for (const key of reminderKeys as PlanReminderKey[]) {
      if (PLAN_REMINDERS[key].minutes * MINUTE >= windowMs) problem('reminders', 'plan.problem.reminderOutside', { reminder: `plan.reminder.${key}`, window: `start.window.${window as AnswerWindow}` });
    }
  }
  const maxReminders = Number(values.maxReminders);
  if (!/^\d$/.test(values.maxReminders) || !(MAX_REMINDER_CHOICES as readonly number[]).includes(maxReminders)) problem('maxReminders', 'plan.problem.maxReminders');
  if (!isOneOf(ON_CLOSE_CHOICES, values.onClose)) problem('onClose', 'plan.problem.onClose');
  if (values.skipHolidays !== 'true' && values.skipHolidays !== 'false') problem('skipHolidays', 'plan.problem.skipHolidays');

  let firstSendAt: Date | null = null;
  if (!isIsoDate(values.firstDate)) problem('firstDate', 'plan.problem.date');
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(values.time)) problem('time', 'plan.problem.time');
  else if (isIsoDate(values.firstDate)) {
    firstSendAt = osloLocalToInstant(values.firstDate, values.time);
    if (firstSendAt.getTime() <= ctx.now.getTime()) problem('firstDate', 'plan.problem.past');
  }

  if (problems.length > 0 || !firstSendAt) return { ok: false, problems, values };

  const skipHolidays = values.skipHolidays === 'true';
  const schedule: PlanSchedule = { firstSendAt, recurrence: recurrence as Recurrence, skipHolidays, holidays: skipHolidays ? [...ctx.holidays] : [], endsAt: null };
  const nextRunAt = nextOccurrence(schedule, ctx.now);
  if (!nextRunAt) return { ok: false, problems: [{ field: 'firstDate', key: 'plan.problem.noOccurrence' }], values };

  const keys = reminderKeys as PlanReminderKey[];
  return {
    ok: true,
    values,
    draft: {
      planId: values.planId || null,
      templateId: values.templateId,
      unitId: values.unitId,
      roleFilter: roles as StaffRole[],
      firstSendAt,
      recurrence: recurrence as Recurrence,
      window: window as AnswerWindow,
      windowMinutes: windowMs / MINUTE,
      reminderKeys: keys,
      reminders: keys.map((k) => ({ ...PLAN_REMINDERS[k] })),
      maxReminders,
      onClose: values.onClose as OnClose,
      skipHolidays,
      nextRunAt,
    },
  };
}

/** The next Wednesday (after today, in Oslo) — the fellestid example from the issue — as the form's first date. */
export function defaultFirstDate(now: Date): string {
  const { weekday } = osloWeekdayAndTime(now);
  const days = ((3 - weekday + 7) % 7) || 7;
  // Noon keeps the day arithmetic clear of any DST change at night.
  const noon = osloLocalToInstant(osloDate(now), '12:00');
  return osloDate(new Date(noon.getTime() + days * DAY));
}

/** Blank form values for a new plan. */
export function newPlanValues(now: Date, pick: { templateId?: string; unitId?: string } = {}): PlanFormValues {
  return { ...planFormValues({}), templateId: pick.templateId ?? '', unitId: pick.unitId ?? '', firstDate: defaultFirstDate(now), time: DEFAULT_PLAN_TIME };
}

export type StoredPlan = {
  id: string;
  templateId: string;
  unitId: string;
  roleFilter: readonly string[];
  recurrence: Recurrence;
  windowMinutes: number;
  reminders: ReadonlyArray<PlanReminderSpec>;
  maxReminders: number;
  onClose: string;
  skipHolidays: boolean;
};

/**
 * A stored plan as form values, for "Endre". `sendAt` is the occurrence to
 * show as the first date: the plan's next run, which is in the future and,
 * for a biweekly or monthly plan, keeps its cadence when saved as the new start.
 */
export function planToValues(plan: StoredPlan, sendAt: Date): PlanFormValues {
  const window = (Object.keys(ANSWER_WINDOWS) as AnswerWindow[]).find((w) => ANSWER_WINDOWS[w] === plan.windowMinutes * MINUTE) ?? DEFAULT_PLAN_WINDOW;
  const reminders = PLAN_REMINDER_KEYS.filter((k) => plan.reminders.some((r) => r.kind === PLAN_REMINDERS[k].kind && r.minutes === PLAN_REMINDERS[k].minutes));
  return {
    planId: plan.id,
    templateId: plan.templateId,
    unitId: plan.unitId,
    roles: plan.roleFilter.join(','),
    firstDate: osloDate(sendAt),
    time: osloWeekdayAndTime(sendAt).time,
    recurrence: plan.recurrence,
    window,
    reminders: reminders.join(','),
    maxReminders: String(Math.min(3, Math.max(0, plan.maxReminders))),
    onClose: isOneOf(ON_CLOSE_CHOICES, plan.onClose) ? plan.onClose : 'publish',
    skipHolidays: String(plan.skipHolidays),
  };
}
