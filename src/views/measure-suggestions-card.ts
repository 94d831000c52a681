import type { Lang } from '../domain/language.ts';
import { explainPointer, explainSuggestion, groupPhrase } from '../domain/measure-reasons.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { SuggestionsView } from '../services/measure-suggestions.ts';
import { formatDateTime } from './format.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

const MAX_BUTTON = 40;
const short = (s: string) => (s.length > MAX_BUTTON ? `${s.slice(0, MAX_BUTTON - 1)}…` : s);
const osloDate = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

/** Staff-role names as the results card shows them. */
const groupName = (key: string, t: Translate) => (key === 'unknown' ? t('results.unknownRole') : t(`staffRole.${key}` as MessageKey));

/**
 * The top suggestions with their reasons, a pointer where no package exists,
 * each staff group's best suggestion, and one button per suggestion that
 * turns it into a measure from the chosen start date.
 */
export function measureSuggestionsCard(view: SuggestionsView, lang: Lang, t: Translate, today: Date): AdaptiveCard {
  const ctx = { lang, t, items: view.items };
  const group = groupPhrase(view.groupKey, ctx);
  const note = view.wholeStaffInstead
    ? t('suggest.wholeStaffInstead', { k: view.k })
    : view.match.status === 'group_hidden'
      ? t('suggest.hidden', { k: view.k })
      : view.match.status === 'no_needs' || view.match.suggestions.length === 0
        ? t('suggest.noNeeds')
        : '';
  return renderCard('measure-suggestions', {
    title: t('suggest.title', { group }),
    subtitle: t('suggest.subtitle', { unit: view.unitName, basedOn: view.basedOn.map((b) => t('suggest.basedOnItem', { title: b.title, date: formatDateTime(b.closedAt, lang) })).join(', ') }),
    note,
    suggestions: view.match.suggestions.map((s) => {
      const text = explainSuggestion(s, view.groupKey, ctx);
      return {
        heading: `${s.rank}. ${text.title}`,
        summary: text.summary,
        facts: text.facts,
        lines: text.lines,
        cautions: text.cautions,
        uncertain: text.uncertain ?? '',
        linkText: text.link.text,
        url: text.link.url,
        choose: short(t('suggest.choose', { rank: s.rank, title: text.title })),
        catalogueId: s.measure.id,
        groupKey: view.groupKey,
        unitId: view.unitId,
      };
    }),
    pointers: view.match.pointers.map((p) => explainPointer(p, view.groupKey, ctx)),
    perGroupTitle: t('suggest.perGroup'),
    perGroup: view.perGroup.map((g) => ({ group: groupName(g.key, t), text: g.top ? g.top.measure.name[lang] : t('suggest.perGroupNone', { k: view.k }) })),
    startLabel: t('suggest.startLabel'),
    startsOn: osloDate(today),
    startError: t('suggest.startError'),
    evaluateLabel: t('suggest.evaluateLabel'),
    evaluateChoices: [3, 6, 12].map((m) => ({ title: t('suggest.evaluateAfter', { months: m }), value: String(m) })),
    privacy: t('suggest.privacy', { k: view.k }),
  });
}
