import type { NeedRank } from '../domain/aggregate-results.ts';
import type { Lang } from '../domain/language.ts';
import { SCHOOL_LEVELS, STAFF_ROLES } from '../domain/profile.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { ResultsView } from '../services/results-summary.ts';
import type { ShareProposal } from '../services/results-sharing.ts';
import { agreementBars } from './check-back-results.ts';
import { formatDateTime, shareText } from './format.ts';
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
  // A barrier round shows its barriers however it was chosen (typed «hindringer» or picked on the card).
  const barriers = view.query.focus === 'barriers' || isBarrierRound(view);
  // Barrier statements are sentences; the full stop goes inside a headline's brackets otherwise.
  const barrierLabel = (id: string) => short((view.items.find((i) => i.id === id)?.text[lang] ?? id).replace(/\.$/, ''));
  // A check-back round has no needs: it shows how many recognised the results (issue 6).
  const agree = barriers || view.needs.length > 0 ? [] : agreementBars(view, lang, t);
  const bars = barriers
    ? view.barriers.items.slice(0, 6).map((b) => ({ label: barrierLabel(b.id), value: b.score, valueText: shareText(b.score, b.n, view.k, t) }))
    : agree.length > 0
      ? agree
      : view.needs.map((n) => ({ label: needLabel(n, t), value: n.score, valueText: shareText(n.score, n.n, view.k, t) }));
  const top = view.needs[0];
  const topBarrier = view.barriers.items[0];
  const headline = view.target.suppressed
    ? t(view.target.reason === 'derivable' ? 'results.groupHidden' : 'results.groupSuppressed', { group: targetName, k: view.k })
    : barriers
      ? topBarrier
        ? t('results.barrierHeadline', { label: barrierLabel(topBarrier.id), group: targetName, score: shareText(topBarrier.score, topBarrier.n, view.k, t) })
        : t('results.noBarriers')
    : top
      ? t(top.kind === 'theme' ? 'results.headline' : 'results.headlineNeed', { label: needLabel(top, t), group: targetName, score: shareText(top.score, top.n, view.k, t) })
      : agree[0]
        ? t('checkBack.resultsHeadline', { label: agree[0].label, score: agree[0].valueText })
        : t('results.noHeadline');
  // Each staff group's largest need, or in a barrier round its largest barrier.
  const groupTop = (g: ResultsView['byRole'][number]) => {
    if (barriers) return g.topBarrier ? `${barrierLabel(g.topBarrier.id)} ${shareText(g.topBarrier.score, g.topBarrier.n, view.k, t)}` : '–';
    return g.top ? `${needLabel(g.top, t)} ${shareText(g.top.score, g.top.n, view.k, t)}` : '–';
  };
  const showGroups = !view.query.role && !view.query.level;
  const staff = view.audience === 'staff';
  const sharing = view.sharing;
  // Staff see who shared it; a leader sees that it is shared, or may share it (never both).
  const shared = staff
    ? t('share.staffBanner', { date: sharing?.sharedAt ? formatDateTime(sharing.sharedAt, lang) : date })
    : sharing?.sharedAt
      ? t('share.sharedOn', { date: formatDateTime(sharing.sharedAt, lang) })
      : '';
  const shareButtons = !staff && sharing?.canShare && !sharing.sharedAt ? [{ title: t('share.button'), pulseIds: sharing.pulseIds.join(',') }] : [];
  return renderCard('results-summary', {
    title: t('results.title', { title: view.pulseTitle }),
    subtitle:
      view.target.suppressed || view.target.respondents === null
        ? t('results.subtitleHidden', { unit: view.unitName, date })
        : t('results.subtitle', { unit: view.unitName, date, n: view.target.respondents }),
    notice: opts.notice ?? '',
    shared,
    headline,
    chartTitle: t(barriers ? 'results.barriersChart' : agree.length > 0 ? 'checkBack.resultsChart' : 'results.needsChart'),
    bars: view.target.suppressed ? [] : bars,
    byRoleTitle: t('results.byRole'),
    groups: showGroups
      ? view.byRole.map((g) => ({
          group: groupName(g.key, t),
          text: g.respondents === null ? t(g.hidden === 'derivable' ? 'results.hidden' : 'results.tooFew', { k: view.k }) : groupTop(g),
        }))
      : [],
    categoriesTitle: t('results.byCategory'),
    categories: barriers && !view.target.suppressed ? categoryLines(view, t) : [],
    privacy: t('results.privacy', { k: view.k }),
    hint: t(staff ? 'share.staffHint' : 'results.hint'),
    shareButtons,
    // Another pulse or group, chosen instead of typed («Vis andre resultater»); leaders only.
    pick: !staff && (view.rounds?.length ?? 0) > 0 ? [pickerData(view, t)] : [],
  });
}

/** A round that asked about barriers and nothing it could rank as a need. */
function isBarrierRound(view: ResultsView): boolean {
  return view.needs.length === 0 && view.items.some((i) => i.kind === 'barrier') && !view.items.some((i) => i.kind === 'competence' || i.kind === 'need');
}

/**
 * Each NIFU barrier category's mean share agreeing. Only where every item in
 * it is shown exactly (2k answers or more): a mean of «minst 83 %» shares
 * would give the exact figures back.
 */
function categoryLines(view: ResultsView, t: Translate): { group: string; text: string }[] {
  return view.barriers.categories.flatMap((c) => {
    const inCat = view.barriers.items.filter((b) => b.category === c.category);
    if (inCat.length === 0 || inCat.some((b) => b.n < 2 * view.k)) return [];
    return [{ group: t(`barrierCategory.${c.category}` as MessageKey), text: t('results.categoryMean', { score: c.meanShare }) }];
  });
}

/** "Nordby skole, Sørby skole og 3 til": whose staff a share reaches. */
function unitList(names: readonly string[], t: Translate, max = 5): string {
  if (names.length <= max) return names.join(', ');
  return t('share.unitsMore', { units: names.slice(0, max).join(', '), n: names.length - max });
}

/**
 * The confirmation before sharing: exactly what staff will see (the
 * all-staff summary and each group's top need, under the k rule) and what
 * they will not (comments, trend, export, single groups, single answers).
 */
export function shareConfirmCard(proposal: ShareProposal, lang: Lang, t: Translate): AdaptiveCard {
  const units = unitList(proposal.unitNames, t);
  return renderCard('results-share-confirm', {
    title: t('share.title'),
    round: t('share.round', { title: proposal.title, units, date: formatDateTime(proposal.closedAt, lang) }),
    intro: t('share.intro', { units }),
    shows: [t('share.shows.summary'), t('share.shows.groups'), t('share.shows.k', { k: proposal.k })].map((text) => ({ text })),
    hiddenTitle: t('share.hiddenTitle'),
    hides: t('share.hides'),
    footer: t('share.ownUnitOnly'),
    pulseIds: proposal.pulseIds.join(','),
    confirm: t('share.confirm'),
    cancel: t('share.cancel'),
  });
}

/** After sharing: who sees it now, or that it was shared already. */
export function shareDoneText(outcome: { proposal: ShareProposal; newlyShared: number }, lang: Lang, t: Translate): string {
  if (outcome.newlyShared > 0 || !outcome.proposal.sharedAt) return t('share.done', { units: unitList(outcome.proposal.unitNames, t) });
  return t('share.already', { date: formatDateTime(outcome.proposal.sharedAt, lang) });
}

/** Every group the results choice accepts (domain/results-query.ts): everyone, each staff role, each school level. */
const pickGroups = (t: Translate) => [
  { title: t('results.everyone'), value: 'all' },
  ...STAFF_ROLES.map((r) => ({ title: t(`staffRole.${r}`), value: r })),
  ...SCHOOL_LEVELS.map((l) => ({ title: t(`schoolLevel.${l}`), value: l })),
];

function pickerData(view: ResultsView, t: Translate) {
  const current = view.query.role ?? view.query.level ?? 'all';
  return {
    title: t('results.pickTitle'),
    templateLabel: t('results.pickTemplate'),
    templateId: view.templateId,
    templates: (view.rounds ?? []).map((r) => ({ title: r.title, value: r.templateId })),
    groupLabel: t('results.pickGroup'),
    group: current,
    groupChoices: pickGroups(t),
    focus: view.query.focus,
    show: t('results.pickShow'),
  };
}
