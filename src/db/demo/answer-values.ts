import type { SchoolLevel, StaffRole } from '../../domain/profile.ts';
import type { PupilGroup } from '../../question-bank/schema.ts';
import type { Rng } from './random.ts';
import { SCHOOL_ENV_ROLES } from './roster.ts';
import type { DemoPerson } from './types.ts';

/**
 * Answer distributions that reproduce the patterns in the seeds:
 *
 * - BUA and assistants report lower competence and higher importance/need
 *   than teachers, most on digital violations and acting-out pupils, and
 *   vocational programmes (yrkesfag) more than general studies
 *   (000_0fd6c3f79f3afad1.txt, 003_04df98bfe4d4fd89.txt);
 * - 55–60 % agree that "no money", "no leave with full pay" and "not enough
 *   staff to cover" hinder them, about 40 % "no support from the leader"
 *   (003_…, Figur 5.10);
 * - 35–55 % of school-environment staff need more competence about the pupil
 *   groups they work with, teachers somewhat less (003_…, Figur 4.4/4.5).
 */

/** How much each role's self-rated competence is above (+) or below (−) teachers'. */
const COMPETENCE_BY_ROLE: Record<StaffRole, number> = {
  teacher: 0, leader: 0.3, child_youth_worker: -0.55, school_assistant: -0.65, unqualified_teacher: -0.4, sfo_leader: -0.2, special_support: 0.35, other: 0,
};
/** Importance of competence development, relative to teachers. */
const IMPORTANCE_BY_ROLE: Record<StaffRole, number> = {
  teacher: 0, leader: 0.1, child_youth_worker: 0.4, school_assistant: 0.45, unqualified_teacher: 0.3, sfo_leader: 0.2, special_support: 0.1, other: 0,
};
/** Need for more competence about a pupil group, relative to teachers. */
const NEED_BY_ROLE: Record<StaffRole, number> = {
  teacher: 0, leader: -0.2, child_youth_worker: 0.45, school_assistant: 0.5, unqualified_teacher: 0.3, sfo_leader: 0.2, special_support: -0.2, other: 0,
};
const LEVEL_COMPETENCE: Record<SchoolLevel, number> = { barnetrinn: 0, ungdomstrinn: 0, vgs_yrkesfag: -0.3, vgs_studieforberedende: 0.1, kombinert: 0 };
const LEVEL_NEED: Record<SchoolLevel, number> = { barnetrinn: 0, ungdomstrinn: 0.05, vgs_yrkesfag: 0.35, vgs_studieforberedende: 0, kombinert: 0 };

/** Theme means for teachers (1–5): the Rambøll top three are the weakest themes. */
const THEME_COMPETENCE: Record<string, number> = { 'digitale-krenkelser': 3.1, 'negativ-sosial-kontroll': 2.8, 'sarbare-elever': 3.25 };
const THEME_IMPORTANCE: Record<string, number> = { 'digitale-krenkelser': 4.0, 'negativ-sosial-kontroll': 3.8, 'sarbare-elever': 4.1 };
/** BUA/assistants meet digital violations and acting-out pupils most (000_…, 003_…). */
const SCHOOL_ENV_THEME_EXTRA: Record<string, number> = { 'digitale-krenkelser': -0.25, 'utagerende-elever': -0.3 };
/** The later round of laringsmiljo-1 shows some effect of the measures in between. */
const ROUND_COMPETENCE: Record<1 | 2, number> = { 1: -0.25, 2: 0 };

const NEED_BY_GROUP: Record<PupilGroup, number> = {
  newly_arrived: 2.9, high_absence: 3.0, bullied: 2.9, hard_time_home: 3.1, mental_health: 3.2, acting_out: 3.2, special_needs: 2.9,
};

/** P(agree or strongly agree) per barrier item and role (NIFU Figur 5.10/5.11). */
const BARRIER_AGREE: Record<string, Partial<Record<StaffRole, number>> & { default: number }> = {
  'barrier-no-leader-support': { default: 0.4, teacher: 0.3, leader: 0.12, special_support: 0.35 },
  'barrier-school-no-money': { default: 0.6, teacher: 0.56, leader: 0.6 },
  'barrier-no-paid-leave': { default: 0.59, teacher: 0.55, leader: 0.4, special_support: 0.49 },
  'barrier-no-cover': { default: 0.62, teacher: 0.58, leader: 0.45, school_assistant: 0.55, sfo_leader: 0.66 },
};

const clamp15 = (x: number) => Math.min(5, Math.max(1, Math.round(x)));

/** 1–5 with P(4 or 5) = pAgree; within each side the usual shape of agreement scales. */
function agreeValue(rng: Rng, pAgree: number): number {
  if (rng.chance(pAgree)) return rng.chance(0.6) ? 4 : 5;
  const u = rng.next();
  return u < 0.25 ? 1 : u < 0.6 ? 2 : 3;
}

/** One scale answer, from the person's role, level and tendencies. */
export function drawValue(rng: Rng, item: { id: string; kind: string; themeId?: string; pupilGroup?: string }, person: DemoPerson, round: 1 | 2): number {
  const role = person.staffRole;
  const level = person.schoolLevel;
  const envExtra = SCHOOL_ENV_ROLES.has(role) && item.themeId ? (SCHOOL_ENV_THEME_EXTRA[item.themeId] ?? 0) : 0;
  switch (item.kind) {
    case 'competence': {
      const mean = (THEME_COMPETENCE[item.themeId ?? ''] ?? 3.2) + COMPETENCE_BY_ROLE[role] + envExtra + (level ? LEVEL_COMPETENCE[level] : 0) + ROUND_COMPETENCE[round] + person.traits.competence;
      return clamp15(mean + rng.normal() * 0.8);
    }
    case 'importance': {
      const mean = (THEME_IMPORTANCE[item.themeId ?? ''] ?? 3.9) + IMPORTANCE_BY_ROLE[role] - envExtra + (level ? LEVEL_NEED[level] : 0) - 0.3 * person.traits.competence;
      return clamp15(mean + rng.normal() * 0.75);
    }
    case 'need': {
      const base = NEED_BY_GROUP[item.pupilGroup as PupilGroup] ?? 3;
      const mean = base + NEED_BY_ROLE[role] + (level ? LEVEL_NEED[level] : 0) - 0.6 * person.traits.competence;
      return clamp15(mean + rng.normal() * 0.85);
    }
    case 'barrier': {
      const table = BARRIER_AGREE[item.id];
      const p = (table?.[role] ?? table?.default ?? 0.35) + person.traits.barrier;
      return agreeValue(rng, Math.min(0.95, Math.max(0.05, p)));
    }
    default:
      return clamp15(3 + rng.normal());
  }
}
