import type { Deps } from '../deps.ts';
import { resolveLanguage } from '../domain/language.ts';
import { progressSummary } from '../domain/progress.ts';
import type { MessageKey } from '../i18n/nb.ts';
import { translator } from '../i18n/translate.ts';
import { QUEUES } from '../jobs/job-queue.ts';
import { formatDateTime } from '../views/format.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { pace } from './pacer.ts';

/**
 * Updates the starter's "Sendt 812 av 830 …" message in place. Throttled to
 * one update every 2 s across processes (a conditional UPDATE claims the
 * turn, and never for older counts than already shown). Updates from several
 * processes can still reach Teams out of order, so when everything is sent a
 * last update is queued a few seconds later: the final state is what stays.
 */
export async function updateProgress(deps: Deps, pulseId: string, force: boolean): Promise<void> {
  const counts = await deps.outbox.countsFor(pulseId);
  const summary = progressSummary(counts);
  if (!deps.sender) return;
  const settled = summary.sent + summary.failed + summary.skipped;
  const claimed = await deps.db.sql.query<{ progressRef: { reference: object; activityId: string; lang: string } | null }>(
    `UPDATE "Pulse" SET "progressAt" = now(), "progressDone" = $4 WHERE id = $1::uuid AND "progressRef" IS NOT NULL
       AND ($2::boolean OR ("progressDone" <= $4 AND ("progressAt" IS NULL OR "progressAt" < now() - interval '2 seconds' OR $3::boolean)))
     RETURNING "progressRef"`,
    [pulseId, force, summary.done, settled],
  );
  if (summary.done && !force && claimed.length > 0) {
    await deps.jobs?.send(QUEUES.progress, { pulseId }, { startAfter: new Date(Date.now() + 3000), singletonKey: `progress:${pulseId}`, singletonSeconds: 3 });
  }
  const ref = claimed[0]?.progressRef;
  if (!ref) return;
  const pulse = await deps.pulses.findById(pulseId);
  if (!pulse) return;
  const lang = resolveLanguage(ref.lang === 'nn' || ref.lang === 'en' || ref.lang === 'nb' ? ref.lang : null, null);
  const t = translator(lang);
  const unit = (await deps.directory.units(pulse.tenantId)).find((u) => u.id === pulse.unitId)?.name ?? '';
  const title = pulse.content.title[lang];
  const lines = summary.done
    ? [t('start.done', { title, sent: summary.sent, total: summary.total, unit, closesAt: formatDateTime(pulse.closesAt, lang) })]
    : [t('progress.sending', { title, total: summary.total, unit, sent: summary.sent })];
  if (summary.failed > 0) {
    const reasons = await deps.outbox.failureReasons(pulseId);
    const known = ['notInstalled', 'userLeft', 'blocked', 'noConversation'];
    lines.push(
      t('progress.reasons', {
        reasons: Object.entries(reasons)
          .map(([reason, n]) => `${t((known.includes(reason) ? `reason.${reason}` : 'reason.other') as MessageKey)}: ${n}`)
          .join(', '),
      }),
    );
  }
  await pace(deps, pulse.tenantId, null);
  await deps.sender.updateCard(ref.reference, ref.activityId, noticeCard(t('start.title'), lines.join(' ')));
}
