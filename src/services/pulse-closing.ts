import type { Deps } from '../deps.ts';
import { resolveLanguage } from '../domain/language.ts';
import { transition } from '../domain/pulse-lifecycle.ts';
import { responseRate } from '../domain/response-rate.ts';
import { translator } from '../i18n/translate.ts';
import { QUEUES } from '../jobs/job-queue.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { canViewResults } from '../domain/results-access.ts';
import { resultsCard } from '../views/results-card.ts';
import { summaryOf } from './results-summary.ts';

/** Reminder `seq` to everyone who got the pulse and has not answered yet. */
export async function remindPulse(deps: Deps, pulseId: string, seq: number): Promise<void> {
  const pulse = await deps.pulses.findById(pulseId);
  if (!pulse || pulse.status !== 'open' || deps.clock() >= pulse.closesAt) return;
  const people = await deps.pulses.nonResponders(pulse.id);
  const ids = await deps.outbox.enqueue(pulse.tenantId, pulse.id, people, 'reminder', seq);
  await deps.jobs?.sendMany(QUEUES.send, ids.map((outboxId) => ({ data: { outboxId } })));
  deps.logger.info({ pulse: pulse.id, seq, reminders: ids.length }, 'reminders queued');
}

/**
 * Closes a pulse at its time (once, whichever process gets there first),
 * publishes it when the plan says so, and sends the unit's leaders and
 * coordinators the response rate with the anonymous summary of this pulse
 * (the same view and anonymity rules as «resultater», audited as
 * `results.sent`); optionally posts the response rate in the team channel.
 */
export async function closePulse(deps: Deps, pulseId: string): Promise<void> {
  const pulse = await deps.pulses.findById(pulseId);
  if (!pulse || pulse.status !== 'open') return;
  if (deps.clock().getTime() < pulse.closesAt.getTime() - 1000) {
    await deps.jobs?.send(QUEUES.close, { pulseId }, { startAfter: pulse.closesAt });
    return;
  }
  if (!(await deps.pulses.setStatus(pulse.id, 'open', transition('open', 'close')))) return;
  const published = pulse.onClose === 'publish' || pulse.onClose === 'publishAndPost';
  if (published) await deps.pulses.setStatus(pulse.id, 'closed', transition('closed', 'publish'));
  await deps.audit.record({ tenantId: pulse.tenantId, action: 'pulse.closed', target: pulse.id, details: { published } });
  if (!published || !deps.sender) return;

  const counts = await deps.pulses.responseCounts(pulse.id);
  const minGroupSize = (await deps.directory.tenantById(pulse.tenantId))?.minGroupSize ?? deps.config.minGroupSize;
  const rate = responseRate(counts.answered, counts.recipients);
  const units = await deps.directory.units(pulse.tenantId);
  const unit = units.find((u) => u.id === pulse.unitId);
  const ancestors: string[] = [];
  for (let u = unit; u; u = u.parentId ? units.find((x) => x.id === u!.parentId) : undefined) ancestors.push(u.id);
  const leaders = await deps.directory.peopleWithRole(ancestors, ['leader', 'coordinator']);
  const creator = pulse.createdById ? await deps.directory.findPerson(pulse.tenantId, pulse.createdById) : null;
  const notify = new Map([...leaders, ...(creator ? [creator] : [])].map((p) => [p.id, p]));
  const tenant = await deps.directory.tenantById(pulse.tenantId);
  for (const person of notify.values()) {
    const conversation = await deps.conversations.personalFor(person.id);
    if (!conversation) continue;
    const lang = resolveLanguage(person.preferredLanguage, person.clientLocale);
    const t = translator(lang);
    // Counts for groups smaller than k would say too much about who answered.
    const text =
      counts.recipients < minGroupSize
        ? t('close.leaderNoticeSmall', { title: pulse.content.title[lang], unit: unit?.name ?? '', k: minGroupSize })
        : t('close.leaderNotice', { title: pulse.content.title[lang], unit: unit?.name ?? '', answered: counts.answered, recipients: counts.recipients, rate });
    let card = noticeCard(pulse.content.title[lang], text);
    const roles = await deps.directory.rolesOf(person.id);
    if (tenant && counts.answered >= minGroupSize && canViewResults({ roles }, units, pulse.unitId)) {
      const view = await summaryOf(deps, { tenant, person, roles, lang, t }, [pulse], unit?.name ?? '', { focus: 'summary', role: null, level: null }, 'results.sent');
      if (!view.target.suppressed) card = resultsCard(view, lang, t, { notice: text });
    }
    const result = await deps.sender.sendCard({ reference: conversation.reference as object, teamsUserId: person.teamsUserId, tenantId: '', serviceUrl: conversation.serviceUrl }, card);
    if (!result.ok) deps.logger.warn({ pulse: pulse.id, reason: result.reason }, 'close notice not delivered');
  }
  if (pulse.onClose === 'publishAndPost' && unit?.teamsTeamId && counts.recipients >= minGroupSize) {
    const channel = await deps.conversations.channelFor(pulse.tenantId, unit.teamsTeamId);
    if (channel) {
      const t = translator('nb');
      await deps.sender.sendCard({ reference: channel.reference as object, teamsUserId: null, tenantId: '', serviceUrl: channel.serviceUrl }, noticeCard(pulse.content.title.nb, t('close.channelPost', { title: pulse.content.title.nb, rate })));
    }
  }
}
