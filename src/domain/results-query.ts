import { SCHOOL_LEVELS, STAFF_ROLES, type SchoolLevel, type StaffRole } from './profile.ts';

export type ResultsQuery = {
  focus: 'summary' | 'needs' | 'barriers';
  role: StaffRole | null;
  level: SchoolLevel | null;
  /** A template chosen on the card («Vis andre resultater»); the latest round of any template when absent. */
  templateId?: string;
};

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

/**
 * What the «Vis» button on a results card sent: a template among those the
 * card offered and one group (everyone, a staff role or a school level). null
 * for anything a card of ours could not have sent.
 */
export function parseResultsChoice(data: unknown, offered: readonly string[]): ResultsQuery | null {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const templateId = typeof d.templateId === 'string' ? d.templateId : '';
  const group = typeof d.group === 'string' && d.group ? d.group : 'all';
  if (!offered.includes(templateId)) return null;
  const role = (STAFF_ROLES as readonly string[]).includes(group) ? (group as StaffRole) : null;
  const level = (SCHOOL_LEVELS as readonly string[]).includes(group) ? (group as SchoolLevel) : null;
  if (group !== 'all' && !role && !level) return null;
  const focus = d.focus === 'barriers' || d.focus === 'needs' ? d.focus : 'summary';
  return { focus, role, level, templateId };
}
