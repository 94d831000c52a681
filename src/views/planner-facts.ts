import type { NeedRank } from '../domain/aggregate-results.ts';
import type { Lang } from '../domain/language.ts';
import { OTHER_UNIT, type GroupRate } from '../domain/response-breakdown.ts';
import type { ResultsQuery } from '../domain/results-query.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { TrendView } from '../services/results-extra.ts';
import type { ResultsView } from '../services/results-summary.ts';
import { UNKNOWN_ROLE, type ResponseStatus } from '../services/response-status.ts';
import { shownShare } from '../domain/share-display.ts';
import { formatDateTime, shareText } from './format.ts';

/*
 * What the language model is given (the teams-ai planner, src/routes/ai-routes.ts):
 * compact JSON text of the anonymous aggregates a leader's card shows, and
 * nothing else. Each field is picked by name from a view that has already
 * been through the anonymity rule — never a spread of the view — so a field
 * added to a view later never reaches the model unless it is added here.
 * Hidden groups say «for få svar» with no number. No person ids, names,
 * e-mail addresses, comments or answer rows exist in these views, and the
 * comments view is never given to the model at all.
 */

function groupName(query: ResultsQuery, t: Translate): string {
  if (query.role) return t(`staffRole.${query.role}` as MessageKey);
  if (query.level) return t(`schoolLevel.${query.level}` as MessageKey);
  return t('results.everyone');
}

function roleName(key: string, t: Translate): string {
  if (key === 'all') return t('results.everyone');
  if (key === 'unknown' || key === UNKNOWN_ROLE) return t('results.unknownRole');
  return t(`staffRole.${key}` as MessageKey);
}

function needLabel(rank: NeedRank, t: Translate): string {
  return rank.labelKey.startsWith('pupilGroup.') ? t(rank.labelKey as MessageKey) : (rank.label ?? rank.id);
}

const NEED_MEASURE =
  'percent = share of respondents (in groups under twice the minimum size, «at least»/«at most» bounds instead of all or none) with low own competence (1–2) and high importance (4–5) for a theme; for a pupil-group need item, share answering 4–5. answers = people counted.';

/** The results view (`get_results`) as the model sees it. */
export function resultsFacts(view: ResultsView, lang: Lang, t: Translate): string {
  const tooFew = t('results.tooFew', { k: view.k });
  const group = view.query.level && !view.query.role ? t(`schoolLevel.${view.query.level}` as MessageKey) : roleName(view.query.role ?? 'all', t);
  const target = view.target;
  // Like the card: the staff-group breakdown only for everyone, never next to a level or another group.
  const showGroups = !view.query.role && !view.query.level;
  return JSON.stringify({
    source: 'results',
    pulse: view.pulseTitle,
    unit: view.unitName,
    closed: formatDateTime(view.closedAt, lang),
    minGroupSize: view.k,
    group,
    respondents: target.suppressed ? tooFew : target.respondents,
    ...(target.suppressed
      ? { hidden: t(target.reason === 'derivable' ? 'results.groupHidden' : 'results.groupSuppressed', { group, k: view.k }) }
      : {
          measure: NEED_MEASURE,
          needs: view.needs.map((n) => ({ need: needLabel(n, t), percent: shareText(n.score, n.n, view.k, t), answers: n.n })),
          barriers: view.barriers.items.slice(0, 5).map((b) => ({ barrier: view.items.find((i) => i.id === b.id)?.text[lang] ?? b.id, percentAgreeing: shareText(b.score, b.n, view.k, t), answers: b.n })),
        }),
    ...(showGroups
      ? {
          byStaffGroup: view.byRole.map((g) =>
            g.respondents === null
              ? { group: roleName(g.key, t), result: g.hidden === 'derivable' ? t('results.hidden') : tooFew }
              : { group: roleName(g.key, t), respondents: g.respondents, ...(g.top ? { topNeed: needLabel(g.top, t), percent: shareText(g.top.score, g.top.n, view.k, t) } : {}) },
          ),
        }
      : {}),
  });
}

/** The trend view (`get_trend`) as the model sees it. */
export function trendFacts(view: TrendView, topic: string, lang: Lang, t: Translate): string {
  const group = groupName(view.query, t);
  const note = view.target.suppressed
    ? t(view.target.reason === 'derivable' ? 'results.groupHidden' : 'results.groupSuppressed', { group, k: view.k })
    : !view.previous
      ? t('trend.noPrevious')
      : view.lines.length === 0
        ? t('trend.nothing', { k: view.k })
        : topic.trim() && !view.topicMatched
          ? t('trend.noTopic', { topic: topic.trim().slice(0, 60) })
          : null;
  return JSON.stringify({
    source: 'trend',
    pulse: view.pulseTitle,
    minGroupSize: view.k,
    group,
    currentRoundClosed: formatDateTime(view.current.closedAt, lang),
    previousRoundClosed: view.previous ? formatDateTime(view.previous.closedAt, lang) : null,
    ...(note ? { note } : {}),
    measure: 'share with a need (themes) or agreeing 4–5 (items), whole percentage points; margin = 95 % uncertainty; a change is called only when it is larger than the margin.',
    lines: view.target.suppressed
      ? []
      : view.lines.map((l) => {
          // A small group's bounded share («minst 83 %») with an exact change would give the exact share back.
          const exact = shownShare(l.previous, l.previousN, view.k).bound === null && shownShare(l.current, l.currentN, view.k).bound === null;
          return { label: l.label, previousPercent: shareText(l.previous, l.previousN, view.k, t), currentPercent: shareText(l.current, l.currentN, view.k, t), ...(exact ? { change: l.difference } : {}), margin: l.margin, direction: t(`trend.${l.direction}`) };
        }),
  });
}

function rateFacts(g: GroupRate, k: number, t: Translate) {
  if (g.shown) return { answered: g.answered, recipients: g.recipients, percent: g.rate };
  return { result: g.reason === 'small' ? t('status.fewerThanK', { k }) : t('status.hidden') };
}

/** The latest pulse's response rate (`get_response_rate`) as the model sees it; counts only, small groups hidden. */
export function responseRateFacts(status: Extract<ResponseStatus, { kind: 'ok' }>, lang: Lang, t: Translate): string {
  const unitName = (key: string) => (key === OTHER_UNIT ? t('status.otherUnit') : (status.unitNames[key] ?? key));
  return JSON.stringify({
    source: 'responseRate',
    pulse: status.pulse.title[lang],
    unit: status.unitName,
    state: status.pulse.status === 'open' ? 'open' : 'closed',
    opened: formatDateTime(status.pulse.opensAt, lang),
    closes: formatDateTime(status.pulse.closesAt, lang),
    minGroupSize: status.k,
    answers: rateFacts(status.figures.answers, status.k, t),
    byUnit: status.byUnit.map((g) => ({ unit: unitName(g.key), ...rateFacts(g, status.k, t) })),
    byStaffGroup: status.byRole.groups.map((g) => ({ group: roleName(g.key, t), ...rateFacts(g, status.k, t) })),
  });
}
