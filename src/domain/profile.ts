import { PUPIL_GROUPS, type PupilGroup } from '../question-bank/schema.ts';
import { isLang, type Lang } from './language.ts';

/** Staff groups from the seeds (domain.md, "Staff groups for aggregation"). */
export const STAFF_ROLES = ['teacher', 'leader', 'child_youth_worker', 'school_assistant', 'unqualified_teacher', 'sfo_leader', 'special_support', 'other'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const SCHOOL_LEVELS = ['barnetrinn', 'ungdomstrinn', 'vgs_yrkesfag', 'vgs_studieforberedende', 'kombinert'] as const;
export type SchoolLevel = (typeof SCHOOL_LEVELS)[number];

export type Profile = { staffRole: StaffRole; schoolLevel: SchoolLevel | null; pupilGroups: PupilGroup[]; language: Lang | null };

export type ProfileProblem = 'staffRole.missing' | 'staffRole.invalid' | 'schoolLevel.invalid' | 'pupilGroups.invalid' | 'language.invalid';

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

/**
 * Validates a profile form submission. Card inputs arrive as strings:
 * multi-select ChoiceSets as comma-separated values, empty when untouched.
 */
export function parseProfileSubmission(input: Record<string, unknown>): { ok: true; profile: Profile } | { ok: false; problems: ProfileProblem[] } {
  const problems: ProfileProblem[] = [];
  const role = typeof input.staffRole === 'string' ? input.staffRole.trim() : '';
  if (!role) problems.push('staffRole.missing');
  else if (!isOneOf(STAFF_ROLES, role)) problems.push('staffRole.invalid');

  const levelRaw = typeof input.schoolLevel === 'string' ? input.schoolLevel.trim() : '';
  if (levelRaw && !isOneOf(SCHOOL_LEVELS, levelRaw)) problems.push('schoolLevel.invalid');

  const groupsRaw = typeof input.pupilGroups === 'string' ? input.pupilGroups.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (!groupsRaw.every((g) => isOneOf(PUPIL_GROUPS, g))) problems.push('pupilGroups.invalid');

  const langRaw = typeof input.language === 'string' ? input.language.trim() : '';
  if (langRaw && !isLang(langRaw)) problems.push('language.invalid');

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    profile: {
      staffRole: role as StaffRole,
      schoolLevel: levelRaw ? (levelRaw as SchoolLevel) : null,
      pupilGroups: [...new Set(groupsRaw as PupilGroup[])],
      language: langRaw ? (langRaw as Lang) : null,
    },
  };
}

/** The profile card is offered once: on first contact, unless already saved or offered. */
export function shouldOfferProfile(person: { profileSavedAt: Date | null; profilePromptedAt: Date | null }): boolean {
  return person.profileSavedAt === null && person.profilePromptedAt === null;
}
