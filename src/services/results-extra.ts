import type { Actor } from './actor.ts';
import { latestRoundInScope } from './results-scope.ts';
import type { Deps } from '../deps.ts';
import type { GroupResult } from '../domain/aggregate-results.ts';
import type { Publication } from '../domain/publish-round.ts';
import { earliest, publicationOf } from './round-publication.ts';
import { commentThreshold, shuffleComments } from '../domain/comments.ts';
import type { PulseItem } from '../domain/pulse-content.ts';
import type { ResultsQuery } from '../domain/results-query.ts';
import { trendLines, type TrendLine } from '../domain/trend.ts';
import type { ClosedPulse } from '../db/results-repository.ts';

/** The group asked about (a staff role, a school level, or everyone) in a publication. */
function targetGroup(publication: Publication, query: ResultsQuery): GroupResult {
  const groups = query.role ? publication.groups.staffRole : query.level ? publication.groups.schoolLevel : publication.groups.all;
  const key = query.role ?? query.level ?? 'all';
  return groups.find((g) => g.key === key) ?? { key, suppressed: true, reason: 'small', respondents: null, items: [], themes: [] };
}

/** Theme title ("<title>: <stem>") or question text, as the results card words it. */
function labelOf(line: TrendLine, items: readonly PulseItem[], lang: Actor['lang']): string {
  const item = line.kind === 'theme' ? items.find((i) => i.kind === 'competence' && i.themeId === line.id) : items.find((i) => i.id === line.id);
  const text = item?.text[lang] ?? line.id;
  return line.kind === 'theme' && text.lastIndexOf(': ') > 0 ? text.slice(0, text.lastIndexOf(': ')) : text;
}

const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4);

/** Lines whose label shares the most words (≥ 4 letters) with `topic`; all lines when none shares any. */
export function matchTopic<T extends { label: string }>(lines: T[], topic: string): { lines: T[]; matched: boolean } {
  const asked = words(topic);
  const score = (l: T) => asked.filter((w) => l.label.toLowerCase().includes(w)).length;
  const best = Math.max(0, ...lines.map(score));
  return best === 0 ? { lines, matched: false } : { lines: lines.filter((l) => score(l) === best), matched: true };
}

export type TrendView = {
  pulseTitle: string;
  current: { closedAt: Date; pulses: number };
  previous: { closedAt: Date; pulses: number } | null;
  k: number;
  query: ResultsQuery;
  target: GroupResult;
  lines: Array<TrendLine & { label: string }>;
  topicMatched: boolean;
};

export type TrendOutcome = { kind: 'notAllowed' } | { kind: 'noResults' } | { kind: 'ok'; view: TrendView };

/** Whether a pulse asks about `topic`: a theme or question shares a word (≥ 4 letters) with it. */
function asksAbout(items: readonly PulseItem[], topic: string, lang: Actor['lang']): boolean {
  const asked = words(topic);
  return items.some((i) => asked.some((w) => i.text[lang].toLowerCase().includes(w)));
}

const latestClose = (round: ClosedPulse[]) => new Date(Math.max(...round.map((p) => p.closesAt.getTime())));

/**
 * The latest round against the previous round of the same template, for the
 * whole scope or one staff group; both aggregated with the anonymity rule.
 * `topic` narrows the lines to matching themes/items. Audited.
 */
export async function trendFor(deps: Deps, actor: Actor, query: ResultsQuery, topic: string): Promise<TrendOutcome> {
  // The latest round that has one before it (and, for «trend <tema>», asks about the topic):
  // a newer pulse of another template must not hide the trend a leader asked for.
  const fits = async (candidate: ClosedPulse[], ids: string[]) =>
    (!topic.trim() || asksAbout(candidate[0]!.content.items, topic, actor.lang)) &&
    (await deps.results.previousRound(ids, candidate[0]!.templateId, earliest(candidate))).length > 0;
  const found = await latestRoundInScope(deps, actor, query.templateId, fits);
  if (found.kind !== 'ok') return found;
  const { round, pulse } = found;
  const unitIds = found.scope.map((u) => u.id);
  const k = actor.tenant.minGroupSize;
  const { publication, previous } = await publicationOf(deps, round, k, unitIds, { withPrevious: true });
  const previousRound = previous?.round ?? [];
  const items = pulse.content.items;
  const target = targetGroup(publication, query);
  let lines: TrendView['lines'] = [];
  if (previous) {
    const before = targetGroup(previous.publication, query);
    lines = trendLines(before, target, k).map((l) => ({ ...l, label: labelOf(l, items, actor.lang) }));
  }
  const topical = topic.trim() ? matchTopic(lines, topic) : { lines, matched: false };
  await deps.audit.record({
    tenantId: actor.tenant.id,
    actorId: actor.person.id,
    action: 'results.trend.viewed',
    target: pulse.id,
    details: { pulses: round.length, previousPulses: previousRound.length, group: query.role ?? query.level ?? 'all' },
  });
  return {
    kind: 'ok',
    view: {
      pulseTitle: pulse.content.title[actor.lang],
      current: { closedAt: latestClose(round), pulses: round.length },
      previous: previousRound.length > 0 ? { closedAt: latestClose(previousRound), pulses: previousRound.length } : null,
      k,
      query,
      target,
      lines: topical.lines,
      topicMatched: topical.matched,
    },
  };
}

export type CommentsView = { pulseTitle: string; closedAt: Date; query: ResultsQuery; threshold: number; respondents: number | null; comments: string[] };
export type CommentsOutcome = { kind: 'notAllowed' } | { kind: 'noResults' } | { kind: 'tooFew'; view: CommentsView } | { kind: 'ok'; view: CommentsView };

/**
 * Free-text comments of the latest round, only when the group asked about
 * (everyone, or one staff role or level) is visible under the anonymity rule
 * and has at least the comment threshold of respondents. Texts only, in a
 * hash order. Audited.
 */
export async function commentsFor(deps: Deps, actor: Actor, query: ResultsQuery): Promise<CommentsOutcome> {
  const found = await latestRoundInScope(deps, actor);
  if (found.kind !== 'ok') return found;
  const { round, pulse } = found;
  const k = actor.tenant.minGroupSize;
  const threshold = commentThreshold(deps.config.commentMinGroup, k);
  const target = targetGroup((await publicationOf(deps, round, k, found.scope.map((u) => u.id))).publication, query);
  const base = { pulseTitle: pulse.content.title[actor.lang], closedAt: latestClose(round), query, threshold };
  if (target.suppressed || target.respondents < threshold) return { kind: 'tooFew', view: { ...base, respondents: null, comments: [] } };
  const rows = await deps.results.commentTexts(
    round.map((p) => p.id),
    query.role ? { staffRole: query.role } : query.level ? { schoolLevel: query.level } : {},
  );
  await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action: 'results.comments.viewed', target: pulse.id, details: { pulses: round.length, group: query.role ?? query.level ?? 'all' } });
  return { kind: 'ok', view: { ...base, respondents: target.respondents, comments: shuffleComments(rows) } };
}
