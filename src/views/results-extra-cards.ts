import type { Lang } from '../domain/language.ts';
import type { ResultsQuery } from '../domain/results-query.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { CommentsView, TrendView } from '../services/results-extra.ts';
import { formatDateTime, shareText } from './format.ts';
import { plainCardText } from './plain-text.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

const MAX_LABEL = 60;
/** At most this many comments on one card (card size); the rest are counted. */
export const MAX_COMMENTS = 40;
const short = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);

function groupName(query: ResultsQuery, t: Translate): string {
  if (query.role) return t(`staffRole.${query.role}` as MessageKey);
  if (query.level) return t(`schoolLevel.${query.level}` as MessageKey);
  return t('results.everyone');
}

/** «Digitale krenkelser: 48 % → 39 % (redusert, ±8)» per theme/item, or why there is nothing to compare. */
export function trendCard(view: TrendView, topic: string, lang: Lang, t: Translate): AdaptiveCard {
  const group = groupName(view.query, t);
  const current = formatDateTime(view.current.closedAt, lang);
  const message = view.target.suppressed
    ? t(view.target.reason === 'derivable' ? 'results.groupHidden' : 'results.groupSuppressed', { group, k: view.k })
    : !view.previous
      ? t('trend.noPrevious')
      : view.lines.length === 0
        ? t('trend.nothing', { k: view.k })
        : topic.trim() && !view.topicMatched
          ? t('trend.noTopic', { topic: short(topic.trim()) })
          : '';
  return renderCard('results-trend', {
    title: t('trend.title', { title: view.pulseTitle }),
    subtitle: view.previous ? t('trend.subtitle', { group, previous: formatDateTime(view.previous.closedAt, lang), current }) : t('trend.subtitleFirst', { group, current }),
    message,
    lines: view.target.suppressed
      ? []
      : view.lines.map((l) => ({ text: t('trend.line', { label: short(l.label), previous: shareText(l.previous, l.previousN, view.k, t), current: shareText(l.current, l.currentN, view.k, t), direction: t(`trend.${l.direction}`), margin: l.margin }) })),
    note: t('trend.note', { k: view.k }),
  });
}

/** Comment texts only, in the order given (already shuffled), or why none are shown. */
export function commentsCard(view: CommentsView, lang: Lang, t: Translate): AdaptiveCard {
  const group = groupName(view.query, t);
  const shown = view.comments.slice(0, MAX_COMMENTS);
  const rest = view.comments.length - shown.length;
  const message =
    view.respondents === null ? t('comments.tooFew', { group, min: view.threshold }) : view.comments.length === 0 ? t('comments.none') : rest > 0 ? t('comments.more', { count: rest }) : '';
  return renderCard('results-comments', {
    title: t('comments.title', { title: view.pulseTitle }),
    subtitle: t('comments.subtitle', { group, date: formatDateTime(view.closedAt, lang), count: view.comments.length }),
    message,
    // Staff wrote these: a TextRun (no Markdown) and plainCardText, so nothing in them becomes a link or formatting (issue 8).
    comments: shown.map((text) => ({ text: plainCardText(text) })),
    privacy: t('comments.privacy'),
  });
}
