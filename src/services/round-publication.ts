import type { Deps } from '../deps.ts';
import type { ClosedPulse } from '../db/results-repository.ts';
import { publishRound, type Publication } from '../domain/publish-round.ts';

export type RoundPublication = {
  /** What may be shown of the round (publish-round.ts). */
  publication: Publication;
  /** The round before in the same units, and what may be shown of it (trend). */
  previous: { round: ClosedPulse[]; publication: Publication } | null;
};

const ids = (round: readonly ClosedPulse[]) => round.map((p) => p.id);
const earliest = (round: readonly ClosedPulse[]) => new Date(Math.min(...round.map((p) => p.closesAt.getTime())));

async function cells(deps: Pick<Deps, 'results'>, round: readonly ClosedPulse[]) {
  const items = round[0]!.content.items;
  return { tallies: await deps.results.tallies(round.map((p) => p.id), items, 'cell'), items };
}

/**
 * What a viewer may see of a round (pulses of one template, newest first),
 * checked against the round before it in `unitIds` — the same units the
 * viewer's trend compares — and that round against its own round before, so
 * trend shows of the earlier round exactly what was shown of it when it was
 * the latest. Every results view, export and the language model's facts go
 * through here: the one place where anonymity is decided for a round.
 */
export async function publicationOf(deps: Pick<Deps, 'results'>, round: readonly ClosedPulse[], k: number, unitIds: readonly string[]): Promise<RoundPublication> {
  const now = await cells(deps, round);
  const templateId = round[0]!.templateId;
  const prevRound = await deps.results.previousRound([...unitIds], templateId, earliest(round));
  if (prevRound.length === 0) return { publication: publishRound(now.tallies, now.items, k), previous: null };
  const prev = await cells(deps, prevRound);
  const prevPrevRound = await deps.results.previousRound([...unitIds], templateId, earliest(prevRound));
  let prevPrevious = null;
  if (prevPrevRound.length > 0) {
    // Two rounds back is counted as shown in full within its own round: more
    // than was shown, so the earlier round is, if anything, hidden more.
    const pp = await cells(deps, prevPrevRound);
    const overlap = await deps.results.overlap(ids(prevRound), ids(prevPrevRound), prev.items);
    prevPrevious = { ...pp, shown: publishRound(pp.tallies, pp.items, k), overlap };
  }
  const prevShown = publishRound(prev.tallies, prev.items, k, { previous: prevPrevious });
  const overlap = await deps.results.overlap(ids(round), ids(prevRound), now.items);
  return {
    publication: publishRound(now.tallies, now.items, k, { previous: { ...prev, shown: prevShown, overlap } }),
    previous: { round: prevRound, publication: prevShown },
  };
}
