import type { SchoolLevel, StaffRole } from './profile.ts';

export type ResultsQuery = { focus: 'summary' | 'needs' | 'barriers'; role: StaffRole | null; level: SchoolLevel | null };

// Words leaders use for staff groups, in bokmål, nynorsk and English (stems: "assistent" matches "assistentene").
const ROLE_WORDS: Array<[RegExp, StaffRole]> = [
  [/\b(bua|barne- og ungdomsarbeider\w*|ungdomsarbeider\w*|child and youth worker\w*|youth worker\w*)/i, 'child_youth_worker'],
  [/\b(assistent\w*|miljøarbeider\w*|miljøarbeidar\w*|assistant\w*|teaching assistant\w*)/i, 'school_assistant'],
  [/\b(ukvalifisert\w*|uten godkjent|utan godkjend|unqualified)/i, 'unqualified_teacher'],
  [/\b(sfo-leder\w*|sfo-leiar\w*|baseleder\w*|sfo|base leader\w*)/i, 'sfo_leader'],
  [/\b(miljøterapeut\w*|spesialpedagog\w*|vernepleier\w*|vernepleiar\w*|special educator\w*|therapist\w*)/i, 'special_support'],
  [/\b(lærer\w*|lærar\w*|teacher\w*)/i, 'teacher'],
  [/\b(leder\w*|leiar\w*|rektor\w*|leader\w*|principal\w*)/i, 'leader'],
];
const LEVEL_WORDS: Array<[RegExp, SchoolLevel]> = [
  [/\b(barnetrinn\w*|barnesteg\w*|barneskole\w*|barneskule\w*|primary)/i, 'barnetrinn'],
  [/\b(ungdomstrinn\w*|ungdomssteg\w*|ungdomsskole\w*|ungdomsskule\w*|lower secondary)/i, 'ungdomstrinn'],
  [/\b(yrkesfag\w*|vocational)/i, 'vgs_yrkesfag'],
  [/\b(studieforberedende|studieførebuande|general studies)/i, 'vgs_studieforberedende'],
];

export const RESULTS_PATTERN =
  /^\s*(resultat\w*|results?|oppsummering|samandrag|summary|hindring\w*|hinder|barriers?|(hva|kva|what)\s+(trenger|treng|do|does)\b.*)/i;

/**
 * Understands a leader's question in plain words: "resultater", "resultater
 * for assistenter på ungdomstrinnet", "hva trenger BUA mest?", "hindringer".
 * Returns what to show; unknown words are ignored rather than refused.
 */
export function parseResultsQuery(text: string): ResultsQuery {
  const role = ROLE_WORDS.find(([re]) => re.test(text))?.[1] ?? null;
  const level = LEVEL_WORDS.find(([re]) => re.test(text))?.[1] ?? null;
  const focus = /hindring|hinder|barrier/i.test(text) ? 'barriers' : /trenger|treng|need/i.test(text) ? 'needs' : 'summary';
  return { focus, role, level };
}
