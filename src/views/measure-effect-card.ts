import type { Lang } from '../domain/language.ts';
import type { EffectLine } from '../domain/measure-effect.ts';
import type { PulseItem } from '../domain/pulse-content.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { EffectOutcome, MeasureEffectEntry } from '../services/measure-evaluation.ts';
import { formatDateTime } from './format.ts';
import { decimal, formatCalendarDate, measureGroup, measureName, signed } from './measure-text.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

const MAX_LABEL = 60;
const short = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);

/** Theme title ("<title>: <stem>" in the bank), a pupil group's name, or the question text. */
function labelOf(line: EffectLine, items: readonly PulseItem[], lang: Lang, t: Translate): string {
  if (line.kind === 'theme') {
    const text = items.find((i) => i.kind === 'competence' && i.themeId === line.id)?.text[lang] ?? line.id;
    return short(text.lastIndexOf(': ') > 0 ? text.slice(0, text.lastIndexOf(': ')) : text);
  }
  const item = items.find((i) => i.id === line.id);
  return short(item?.pupilGroup ? t(`pupilGroup.${item.pupilGroup}` as MessageKey) : (item?.text[lang] ?? line.id));
}

/**
 * «Digitale krenkelser: 77 % → 17 % med stort behov (−60 poeng, 95 % KI −83 til −20; n 13 → 12) – redusert»,
 * with the mean first where the item has a distribution; plainly «for få svar» otherwise.
 */
function lineText(line: EffectLine, items: readonly PulseItem[], k: number, lang: Lang, t: Translate): string {
  const label = labelOf(line, items, lang, t);
  const r = line.result;
  if (r.verdict === 'too_small' || !r.before || !r.after || !r.share || !line.shareInterval) return t('effect.line.tooSmall', { label });
  // Under 2k answers on a side, its exact share, mean and change would show a
  // unanimous group's answers (share-display.ts); such a change is noise anyway.
  if (r.before.n < 2 * k || r.after.n < 2 * k) return t('effect.line.tooSmall', { label });
  const share = {
    label,
    before: r.before.shareNeed,
    after: r.after.shareNeed,
    diff: signed(r.share.difference, lang),
    low: signed(line.shareInterval.low, lang),
    high: signed(line.shareInterval.high, lang),
    nBefore: r.before.n,
    nAfter: r.after.n,
    verdict: t(`effect.verdict.${r.verdict}`),
  };
  if (!r.mean || r.before.mean === null || r.after.mean === null) return t('effect.line.share', share);
  return t('effect.line.mean', {
    ...share,
    meanBefore: decimal(r.before.mean, lang),
    meanAfter: decimal(r.after.mean, lang),
    meanDiff: signed(r.mean.difference, lang, 1),
    meanLow: signed(r.mean.low, lang, 1),
    meanHigh: signed(r.mean.high, lang, 1),
  });
}

function messageOf(e: MeasureEffectEntry, k: number, lang: Lang, t: Translate): string {
  switch (e.state) {
    case 'noBase':
      return t('effect.noBase');
    case 'waiting':
      return t('effect.waiting', { date: formatCalendarDate(e.measure.evaluateOn, lang) });
    case 'followUpOpen':
      return t('effect.followUpOpen', { date: formatDateTime(e.followUp!.closesAt, lang) });
    default:
      if (e.effect?.status === 'group_too_small') return t('effect.groupTooSmall', { group: measureGroup(e.measure.staffRole, t), k });
      return e.effect?.status === 'not_asked' ? t('effect.notAsked') : '';
  }
}

function measureBlock(e: MeasureEffectEntry, k: number, lang: Lang, t: Translate) {
  const m = e.measure;
  const facts = [
    { title: t('effect.unit'), value: e.unitName },
    { title: t('effect.group'), value: measureGroup(m.staffRole, t) },
    { title: t('effect.period'), value: t('effect.periodValue', { start: formatCalendarDate(m.startsOn, lang), end: formatCalendarDate(m.evaluateOn, lang), status: t(m.status === 'evaluated' ? 'effect.status.evaluated' : 'effect.status.running') }) },
    ...(e.base ? [{ title: t('effect.before'), value: t('effect.closed', { title: e.base.title, date: formatDateTime(e.base.closedAt, lang) }) }] : []),
    ...(e.followUp ? [{ title: t('effect.after'), value: e.followUp.closed ? t('effect.closed', { title: e.followUp.title, date: formatDateTime(e.followUp.closesAt, lang) }) : t('effect.openUntil', { date: formatDateTime(e.followUp.closesAt, lang) }) }] : []),
  ];
  const lines = e.effect?.status === 'ok' ? e.effect.lines.map((l) => ({ text: lineText(l, e.items, k, lang, t) })) : [];
  return { name: measureName(m.catalogueId, lang), facts, message: messageOf(e, k, lang, t), lines };
}

/** One block per measure: name, unit, group, dates, then before → after per theme and item, or why there is none. */
export function measureEffectCard(view: Extract<EffectOutcome, { kind: 'ok' }>, lang: Lang, t: Translate): AdaptiveCard {
  return renderCard('measure-effect', {
    title: t('effect.title'),
    intro: t('effect.intro'),
    measures: view.entries.map((e) => measureBlock(e, view.k, lang, t)),
    more: view.total > view.entries.length ? t('effect.more', { shown: view.entries.length, total: view.total }) : '',
    note: t('effect.note', { k: view.k }),
    privacy: t('results.privacy', { k: view.k }),
  });
}
