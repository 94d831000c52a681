/**
 * Words a suggestion's structured reasons in nb/nn/en, pure. Takes the
 * translator as an argument (no I/O, no SDK), so views and tests choose the
 * language; every sentence is an i18n key in the `measures.*` block.
 *
 * Only what matchMeasures put in the reasons is worded, and it only puts
 * visible data there, so the text can never reveal a hidden group or item.
 */
import type { CatalogueEntry, Measure, UncertainField } from '../catalogue/schema.ts';
import type { MessageKey, Translate } from '../i18n/translate.ts';
import { loadQuestionBank } from '../question-bank/load-question-bank.ts';
import type { Lang } from './language.ts';
import type { BarrierReason, MeasurePointer, MeasureReason, MeasureSuggestion, NeedReason } from './match-measures.ts';
import { SCHOOL_LEVELS, STAFF_ROLES } from './profile.ts';
import type { PulseItem } from './pulse-content.ts';

export type ExplainContext = {
  lang: Lang;
  t: Translate;
  /** The pulse's items, for theme titles as the staff saw them. */
  items: readonly PulseItem[];
  /** Overrides the group wording, e.g. a school's name for a per-school breakdown. */
  groupLabel?: string;
};

export type Link = { text: string; url: string };
export type SuggestionText = {
  title: string;
  /** One sentence: the strongest need, and the strongest barrier the measure gets round. */
  summary: string;
  /** One line per reason, strongest first. */
  lines: string[];
  /** High barriers this measure does not get round. */
  cautions: string[];
  /** "kollektivt på egen skole · i fellestiden · gratis · uten vikar". */
  facts: string;
  /** Which facts are not confirmed by a source, or null. */
  uncertain: string | null;
  link: Link;
};
export type PointerText = { title: string; text: string; links: Link[] };

const key = (k: string) => k as MessageKey;
const lowerFirst = (s: string) => s.charAt(0).toLocaleLowerCase() + s.slice(1);

/** "Lærerne", "alle ansatte", "ansatte på barnetrinn" — the definite plural a sentence needs. */
export function groupPhrase(groupKey: string, ctx: Pick<ExplainContext, 't' | 'groupLabel'>): string {
  const { t } = ctx;
  if (ctx.groupLabel) return ctx.groupLabel;
  if ((STAFF_ROLES as readonly string[]).includes(groupKey) || groupKey === 'all' || groupKey === 'unknown') return t(key(`measures.group.${groupKey}`));
  if ((SCHOOL_LEVELS as readonly string[]).includes(groupKey)) return t('measures.group.level', { level: lowerFirst(t(key(`schoolLevel.${groupKey}`))) });
  return t('measures.group.generic');
}

/** Theme title as in the pulse ("<title>: <stem>"), else from the shipped bank, else the id. */
function themeTitle(themeId: string, ctx: ExplainContext): string {
  const text = ctx.items.find((i) => i.kind === 'competence' && i.themeId === themeId)?.text[ctx.lang];
  if (text && text.lastIndexOf(': ') > 0) return text.slice(0, text.lastIndexOf(': '));
  return loadQuestionBank().themes.find((th) => th.id === themeId)?.title[ctx.lang] ?? themeId;
}

function needClause(r: NeedReason, group: string, ctx: ExplainContext): string {
  if (r.source === 'theme') return ctx.t('measures.need.theme', { share: r.share, group, topic: themeTitle(r.themeId, ctx) });
  return ctx.t('measures.need.pupilGroup', { share: r.share, group, topic: lowerFirst(ctx.t(key(`pupilGroup.${r.pupilGroup}`))) });
}

const barrierClause = (r: BarrierReason | { rule: BarrierReason['rule']; share: number }, ctx: ExplainContext) =>
  ctx.t('measures.barrierClause', { share: r.share, barrier: ctx.t(key(`measures.barrier.${r.rule}`)) });

function reasonLine(r: MeasureReason, group: string, ctx: ExplainContext): string {
  const { t } = ctx;
  switch (r.kind) {
    case 'need':
      return t('measures.line.need', { clause: needClause(r, group, ctx), n: r.n });
    case 'barrier':
      return t('measures.line.barrier', { clause: barrierClause(r, ctx), effect: t(key(`measures.effect.${r.rule}`)) });
    case 'fit':
      return r.aspect === 'role' ? t('measures.fit.role', { group }) : t(key(`measures.fit.${r.aspect}`), { group });
    case 'leaderNote':
      return t('measures.leaderNote', { share: r.share, group });
    case 'caveat':
      return t('measures.caveat.sfo_common_time');
  }
}

function facts(m: Measure, t: Translate): string {
  return [t(key(`measures.format.${m.format}`)), t(key(`measures.runs.${m.runs}`)), t(key(`measures.cost.${m.cost}`)), t(m.needsSubstitute ? 'measures.substitute.yes' : 'measures.substitute.no')].join(' · ');
}

function uncertainLine(e: CatalogueEntry, t: Translate): string | null {
  if (e.uncertain.length === 0) return null;
  return t('measures.uncertain', { fields: e.uncertain.map((f: UncertainField) => t(key(`measures.field.${f}`))).join(', ') });
}

/**
 * The card text for one suggestion in the context's language.
 *
 * @example explainSuggestion(s, 'child_youth_worker', { lang: 'nb', t: translator('nb'), items }).summary
 *   // → 'Fordi 58 % av barne- og ungdomsarbeiderne oppgir stort behov for mer kompetanse om elever med utagerende eller truende atferd, og 61 % sier at mangel på vikar hindrer dem.'
 */
export function explainSuggestion(s: MeasureSuggestion, groupKey: string, ctx: ExplainContext): SuggestionText {
  const { t, lang } = ctx;
  const group = groupPhrase(groupKey, ctx);
  const topNeed = s.reasons.find((r): r is NeedReason => r.kind === 'need');
  const topBarrier = s.reasons.find((r): r is BarrierReason => r.kind === 'barrier');
  const need = topNeed ? needClause(topNeed, group, ctx) : '';
  const summary = topBarrier ? t('measures.becauseAnd', { need, barrier: barrierClause(topBarrier, ctx) }) : t('measures.because', { need });
  return {
    title: s.measure.name[lang],
    summary,
    lines: s.reasons.map((r) => reasonLine(r, group, ctx)),
    cautions: s.cautions.map((c) => t('measures.line.caution', { clause: barrierClause(c, ctx), caution: t(key(`measures.caution.${c.rule}`)) })),
    facts: facts(s.measure, t),
    uncertain: uncertainLine(s.measure, t),
    link: { text: s.measure.linkText[lang], url: s.measure.url },
  };
}

/**
 * The text for a need with no package (negative social control): says so and
 * lists the national resources instead of inventing a package.
 */
export function explainPointer(p: MeasurePointer, groupKey: string, ctx: ExplainContext): PointerText {
  const { t, lang } = ctx;
  const group = groupPhrase(groupKey, ctx);
  const topic = p.needs[0]?.source === 'theme' ? themeTitle(p.needs[0].themeId, ctx) : p.reference.name[lang];
  const needs = p.needs.map((n) => needClause(n, group, ctx)).join('; ');
  return {
    title: p.reference.name[lang],
    text: t('measures.pointer', { need: needs, topic, resources: p.reference.references.map((r) => r.name[lang]).join('; ') }),
    links: p.reference.references.map((r) => ({ text: r.name[lang], url: r.url })),
  };
}
