import type { Deps } from '../deps.ts';
import type { ClosedPulse } from '../db/results-repository.ts';
import type { GroupTally } from '../domain/group-tally.ts';
import { publishRound, type Publication } from '../domain/publish-round.ts';
import type { PulseItem } from '../domain/pulse-content.ts';

export type RoundPublication = {
  /** What may be shown of the round (publish-round.ts). */
  publication: Publication;
  /** With `withPrevious`: the round before in the same units, and what was shown of it when it was the latest (trend). */
  previous: { round: ClosedPulse[]; publication: Publication } | null;
};

const ids = (round: readonly ClosedPulse[]) => round.map((p) => p.id);
/** When a round's first pulse closed: the round before it ended a day or more earlier. */
export const earliest = (round: readonly ClosedPulse[]) => new Date(Math.min(...round.map((p) => p.closesAt.getTime())));
type Counted = { tallies: GroupTally[]; items: readonly PulseItem[] };

async function counted(deps: Pick<Deps, 'results'>, round: readonly ClosedPulse[]): Promise<Counted> {
  const items = round[0]!.content.items;
  return { tallies: await deps.results.tallies(ids(round), items, 'cell'), items };
}

/** A round checked against the round before it in `unitIds`, if there is one. */
async function publishAgainstBefore(deps: Pick<Deps, 'results'>, round: readonly ClosedPulse[], now: Counted, k: number, unitIds: readonly string[]): Promise<{ publication: Publication; before: ClosedPulse[] }> {
  const before = await deps.results.previousRound([...unitIds], round[0]!.templateId, earliest(round));
  if (before.length === 0) return { publication: publishRound(now.tallies, now.items, k), before };
  const prev = await counted(deps, before);
  // The round before counts as shown in full within its own round: at least
  // what was shown of it, so this round is, if anything, hidden more.
  const shown = publishRound(prev.tallies, prev.items, k);
  const overlap = await deps.results.overlap(ids(round), ids(before), now.items);
  return { publication: publishRound(now.tallies, now.items, k, { previous: { ...prev, shown, overlap } }), before };
}

/**
 * What a viewer may see of a round (pulses of one template, newest first),
 * checked against the round before it in `unitIds` — the units the viewer's
 * trend compares. Every results view, export and the language model's facts
 * go through here: the one place where anonymity is decided for a round.
 * The publication of a round depends only on it and the round before, so it
 * is the same in every view and at every later time (until a newer round).
 * `withPrevious` (trend) also gives the round before as it was published
 * when it was the latest.
 */
export async function publicationOf(deps: Pick<Deps, 'results'>, round: readonly ClosedPulse[], k: number, unitIds: readonly string[], options: { withPrevious?: boolean } = {}): Promise<RoundPublication> {
  const now = await counted(deps, round);
  const { publication, before } = await publishAgainstBefore(deps, round, now, k, unitIds);
  if (!options.withPrevious || before.length === 0) return { publication, previous: null };
  const prev = await publishAgainstBefore(deps, before, await counted(deps, before), k, unitIds);
  return { publication, previous: { round: before, publication: prev.publication } };
}
