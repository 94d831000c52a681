import type { Deps } from '../deps.ts';
import { privacyRepository, type RetentionCounts } from '../db/privacy-repository.ts';
import { retentionCutoff } from '../domain/retention.ts';

/**
 * The nightly retention job (README, "Personvern"): answers and comments of
 * pulses that closed more than ANSWER_RETENTION_DAYS ago are deleted; the
 * pulse's counts are stored first, so every result that was shown stays
 * exactly as it was. Idempotent (a second run finds nothing). Logs and audits
 * counts only, one audit entry per tenant (`answers.retention`).
 */
export async function runRetention(deps: Deps): Promise<RetentionCounts[]> {
  const days = deps.config.retention.answerDays;
  const cutoff = retentionCutoff(deps.clock(), days);
  const done = await privacyRepository(deps.db.prisma, deps.db.sql).applyRetention(cutoff);
  for (const t of done) {
    await deps.audit.record({ tenantId: t.tenantId, action: 'answers.retention', details: { days, pulses: t.pulses, answers: t.answers, comments: t.comments, frozenPulses: t.frozenPulses } });
  }
  deps.logger.info(
    { days, tenants: done.length, pulses: done.reduce((n, t) => n + t.pulses, 0), answers: done.reduce((n, t) => n + t.answers, 0), comments: done.reduce((n, t) => n + t.comments, 0) },
    'answer retention ran',
  );
  return done;
}
