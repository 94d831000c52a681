import type { Lang } from '../domain/language.ts';
import { MAX_REMINDER_CHOICES, ON_CLOSE_CHOICES, PLAN_REMINDER_KEYS, type PlanFormProblem, type PlanFormValues } from '../domain/plan-form.ts';
import { STAFF_ROLES } from '../domain/profile.ts';
import { ANSWER_WINDOWS } from '../domain/pulse-start.ts';
import { osloDate, RECURRENCES } from '../domain/schedule.ts';
import type { UnitNode } from '../domain/unit-scope.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { LocalizedText } from '../question-bank/schema.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

export type PlanFormView = {
  templates: Array<{ id: string; title: LocalizedText }>;
  units: UnitNode[];
  values: PlanFormValues;
  problems: PlanFormProblem[];
  /** Units in scope that no skolerute covers; the form says so under «Hopp over …». */
  withoutSchoolHolidays: { units: UnitNode[]; all: boolean };
  now: Date;
};

/** How many unit names the note lists before «+N» (a card on a phone). */
const NOTE_NAMES = 3;

function schoolHolidaysNote(gaps: PlanFormView['withoutSchoolHolidays'], t: Translate): string {
  if (gaps.all) return t('plan.form.noSchoolHolidays');
  if (gaps.units.length === 0) return '';
  const names = gaps.units.slice(0, NOTE_NAMES).map((u) => u.name);
  const more = gaps.units.length - names.length;
  return t('plan.form.someSchoolHolidays', { units: more > 0 ? `${names.join(', ')} +${more}` : names.join(', ') });
}

/** A problem's text; labels it refers to («2 uker», «1 dag etter start») are translated first. */
export function problemText(p: PlanFormProblem, t: Translate): string {
  return t(p.key, Object.fromEntries(Object.entries(p.labels ?? {}).map(([name, key]) => [name, t(key)])));
}

/** The plan form (`cards/plan-form.json`), new or for editing (values.planId set). */
export function planFormCard(view: PlanFormView, ctx: { lang: Lang; t: Translate }): AdaptiveCard {
  const { t, lang } = ctx;
  const v = view.values;
  return renderCard('plan-form', {
    title: t(v.planId ? 'plan.form.editTitle' : 'plan.form.title'),
    intro: t('plan.form.intro'),
    hasProblems: view.problems.length > 0,
    problemsHeading: t('plan.form.problems'),
    problems: view.problems.map((p) => ({ text: problemText(p, t) })),
    templateLabel: t('plan.form.template'),
    templateValue: v.templateId || view.templates[0]?.id || '',
    templateChoices: view.templates.map((x) => ({ title: x.title[lang], value: x.id })),
    unitLabel: t('plan.form.unit'),
    unitValue: v.unitId || view.units[0]?.id || '',
    unitChoices: view.units.map((u) => ({ title: u.name, value: u.id })),
    rolesLabel: t('plan.form.roles'),
    rolesValue: v.roles,
    roleChoices: STAFF_ROLES.map((r) => ({ title: t(`staffRole.${r}` as MessageKey), value: r })),
    dateLabel: t('plan.form.date'),
    dateValue: v.firstDate,
    dateMin: osloDate(view.now),
    timeLabel: t('plan.form.time'),
    timeValue: v.time,
    recurrenceLabel: t('plan.form.recurrence'),
    recurrenceValue: v.recurrence,
    recurrenceChoices: RECURRENCES.map((r) => ({ title: t(`plan.recurrence.${r}`), value: r })),
    windowLabel: t('plan.form.window'),
    windowValue: v.window,
    windowChoices: Object.keys(ANSWER_WINDOWS).map((w) => ({ title: t(`start.window.${w}` as MessageKey), value: w })),
    remindersLabel: t('plan.form.reminders'),
    remindersValue: v.reminders,
    reminderChoices: PLAN_REMINDER_KEYS.map((k) => ({ title: t(`plan.reminder.${k}`), value: k })),
    maxRemindersLabel: t('plan.form.maxReminders'),
    maxRemindersValue: v.maxReminders,
    maxReminderChoices: MAX_REMINDER_CHOICES.map((n) => ({ title: n === 0 ? t('plan.maxReminders.none') : String(n), value: String(n) })),
    onCloseLabel: t('plan.form.onClose'),
    onCloseValue: v.onClose,
    onCloseChoices: ON_CLOSE_CHOICES.map((c) => ({ title: t(`plan.onClose.${c}`), value: c })),
    skipHolidaysLabel: t('plan.form.skipHolidays'),
    skipHolidaysValue: v.skipHolidays === 'false' ? 'false' : 'true',
    schoolHolidaysNote: schoolHolidaysNote(view.withoutSchoolHolidays, t),
    submit: t('plan.form.submit'),
    planId: v.planId,
  });
}
