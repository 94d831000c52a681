import type { NeedRank } from '../domain/aggregate-results.ts';
import type { Lang } from '../domain/language.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { ResultsView } from '../services/results-summary.ts';
import { formatDateTime } from './format.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

const MAX_LABEL = 60;
const short = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);

function needLabel(rank: NeedRank, t: Translate): string {
  return short(rank.labelKey.startsWith('pupilGroup.') ? t(rank.labelKey as MessageKey) : (rank.label ?? rank.id));
}

/** A staff-role group's name ('all' = everyone; 'unknown' = people with no role in their profile). */
function groupName(key: string, t: Translate): string {
  if (key === 'all') return t('results.everyone');
  if (key === 'unknown') return t('results.unknownRole');
  return t(`staffRole.${key}` as MessageKey);
}

/**
 * Headline first, then a chart (with a text fallback where charts don't
 * render), then each staff group. `notice` is a line above the headline (the
 * response rate, when the bot sends the summary at close).
 */
export function resultsCard(view: ResultsView, lang: Lang, t: Translate, opts: { notice?: string } = {}): AdaptiveCard {
  const targetKey = view.query.role ?? view.query.level ?? 'all';
  const targetName = view.query.level && !view.query.role ? t(`schoolLevel.${view.query.level}` as MessageKey) : groupName(targetKey, t);
  const date = formatDateTime(view.closedAt, lang);
  const barriers = view.query.focus === 'barriers';
  const bars = barriers
    ? view.barriers.items.slice(0, 6).map((b) => ({ label: short(view.items.find((i) => i.id === b.id)?.text[lang] ?? b.id), value: b.score, valueText: `${b.score} %` }))
    : view.needs.map((n) => ({ label: needLabel(n, t), value: n.score, valueText: `${n.score} %` }));
  const top = view.needs[0];
  const headline = view.target.suppressed
    ? t('results.groupSuppressed', { group: targetName, k: view.k })
    : top
      ? t(top.kind === 'theme' ? 'results.headline' : 'results.headlineNeed', { label: needLabel(top, t), group: targetName, score: top.score })
      : t('results.noHeadline');
  const showGroups = !view.query.role && !view.query.level;
  return renderCard('results-summary', {
    title: t('results.title', { title: view.pulseTitle }),
    subtitle:
      view.target.suppressed || view.target.respondents === null
        ? t('results.subtitleHidden', { unit: view.unitName, date })
        : t('results.subtitle', { unit: view.unitName, date, n: view.target.respondents }),
    notice: opts.notice ?? '',
    headline,
    chartTitle: t(barriers ? 'results.barriersChart' : 'results.needsChart'),
    bars: view.target.suppressed ? [] : bars,
    byRoleTitle: t('results.byRole'),
    groups: showGroups
      ? view.byRole.map((g) => ({
          group: groupName(g.key, t),
          text: g.respondents === null ? t('results.tooFew', { k: view.k }) : g.top ? `${needLabel(g.top, t)} ${g.top.score} %` : '–',
        }))
      : [],
    privacy: t('results.privacy', { k: view.k }),
    hint: t('results.hint'),
  });
}
