import type { StaffRole } from '../../domain/profile.ts';
import type { DemoData } from './types.ts';

/** The three school-facilitation barriers NIFU finds 55–60 % agree on. */
export const FACILITATION_ECONOMY_ITEMS: readonly string[] = ['barrier-school-no-money', 'barrier-no-paid-leave', 'barrier-no-cover'];

export type DemoSummary = {
  schools: Array<{ name: string; people: number; byRole: Partial<Record<StaffRole, number>> }>;
  peopleByRole: Partial<Record<StaffRole, number>>;
  people: number;
  leaders: number;
  coordinators: number;
  pulses: number;
  recipients: number;
  answered: number;
  reminders: number;
  answers: number;
  comments: number;
  /** Staff groups of 1–4 people at one school: figures for them must be suppressed. */
  smallGroups: Array<{ school: string; staffRole: StaffRole; people: number }>;
  /** Share agreeing (4–5) that no money / no paid leave / no cover hinders them. */
  facilitationAgreeShare: number;
};

/** Counts of what a demo data set contains. */
export function summarizeDemoData(data: DemoData): DemoSummary {
  const count = <T extends string>(keys: T[]) => {
    const out: Partial<Record<T, number>> = {};
    for (const k of keys) out[k] = (out[k] ?? 0) + 1;
    return out;
  };
  const schools = data.units
    .filter((u) => u.kind === 'school')
    .map((u) => {
      const staff = data.people.filter((p) => p.schoolId === u.id);
      return { name: u.name, people: staff.length, byRole: count(staff.map((p) => p.staffRole)) };
    });
  const facilitation = data.answers.filter((a) => FACILITATION_ECONOMY_ITEMS.includes(a.itemId) && a.value !== null);
  return {
    schools,
    peopleByRole: count(data.people.map((p) => p.staffRole)),
    people: data.people.length,
    leaders: data.roles.filter((r) => r.role === 'leader').length,
    coordinators: data.roles.filter((r) => r.role === 'coordinator').length,
    pulses: data.pulses.length,
    recipients: data.recipients.length,
    answered: data.recipients.filter((r) => r.answeredAt).length,
    reminders: data.messages.filter((m) => m.kind === 'reminder').length,
    answers: data.answers.length,
    comments: data.answers.filter((a) => a.comment !== null).length,
    smallGroups: schools.flatMap((s) =>
      (Object.entries(s.byRole) as Array<[StaffRole, number]>).filter(([, n]) => n >= 1 && n <= 4).map(([staffRole, people]) => ({ school: s.name, staffRole, people })),
    ),
    facilitationAgreeShare: facilitation.length ? facilitation.filter((a) => a.value! >= 4).length / facilitation.length : 0,
  };
}
