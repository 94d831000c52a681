import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Deps } from '../deps.ts';
import { resolveLanguage } from '../domain/language.ts';
import { itemsForPerson } from '../domain/pulse-content.ts';
import { decideAfterSend, decideBeforeSend, type DeliveryPolicy } from '../domain/send-decision.ts';
import { translator } from '../i18n/translate.ts';
import { QUEUES } from '../jobs/job-queue.ts';
import { pulseCard } from '../views/pulse-card.ts';
import { pace } from './pacer.ts';
import { rememberCreatedChat } from './personal-chat.ts';
import { updateProgress } from './progress.ts';

/**
 * Sends one outbox message: claim it (so no other process sends it), check it
 * is still wanted, wait for a slot in the tenant's shared rate bucket (and the
 * conversation's), send, and record the outcome. Safe to run twice for the
 * same message: the claim lets only one run through.
 */
export function createSendWorker(deps: Deps) {
  const worker = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const policy: DeliveryPolicy = { maxAttempts: deps.config.delivery.maxAttempts, baseDelayMs: 1000, maxDelayMs: 5 * 60_000 };

  async function sendOne(outboxId: string): Promise<void> {
    const msg = await deps.outbox.claim(outboxId, worker, deps.config.delivery.leaseMs);
    if (!msg) return; // sent, being sent, or not due yet: another job owns it
    const pulse = await deps.pulses.findById(msg.pulseId);
    const person = pulse ? await deps.directory.findPerson(msg.tenantId, msg.personId) : null;
    if (!pulse || !person) {
      await deps.outbox.markDone(msg.id, worker, 'skipped', 'gone');
      return;
    }
    const answered = await deps.pulses.hasAnswered(pulse.id, person.id);
    const before = decideBeforeSend({ kind: msg.kind, pulseStatus: pulse.status, closesAt: pulse.closesAt, answered }, deps.clock());
    if (before.action === 'skip') {
      await deps.outbox.markDone(msg.id, worker, 'skipped', before.reason);
      return;
    }
    const lang = resolveLanguage(person.preferredLanguage, person.clientLocale);
    const tenant = await deps.directory.tenantById(msg.tenantId);
    const card = pulseCard(
      {
        pulseId: pulse.id,
        content: pulse.content,
        items: itemsForPerson(pulse.content, person.pupilGroups),
        closesAt: pulse.closesAt,
        minGroupSize: tenant?.minGroupSize ?? deps.config.minGroupSize,
        askRole: person.staffRole === null,
        reminder: msg.kind === 'reminder',
      },
      lang,
      translator(lang),
    );
    const conversation = await deps.conversations.personalFor(person.id);
    await pace(deps, msg.tenantId, conversation?.conversationId ?? null);
    const result = await deps.sender!.sendCard(
      {
        reference: (conversation?.reference as object | undefined) ?? null,
        teamsUserId: person.teamsUserId,
        tenantId: tenant?.teamsTenantId ?? '',
        serviceUrl: conversation?.serviceUrl ?? (await deps.conversations.anyServiceUrl(msg.tenantId)),
      },
      card,
    );
    const after = decideAfterSend(result.ok ? { ok: true } : result, msg.attempts, policy, Math.random());
    if (after.action === 'sent' && result.ok) {
      await deps.outbox.markSent(msg.id, worker, { conversationId: result.conversationId, activityId: result.activityId });
      if (!conversation) await rememberCreatedChat(deps, msg.tenantId, person.id, result);
    } else if (after.action === 'retry') {
      const at = await deps.outbox.markRetry(msg.id, worker, after.delayMs, result.ok ? 'retry' : `${result.reason}:${result.status ?? ''}`);
      await deps.jobs!.send(QUEUES.send, { outboxId: msg.id }, { startAfter: at });
    } else if (after.action === 'fail') {
      await deps.outbox.markDone(msg.id, worker, 'failed', after.reason);
      deps.logger.info({ pulse: pulse.id, reason: after.reason }, 'message not delivered');
    }
    if (msg.kind === 'pulse') await updateProgress(deps, pulse.id, false);
  }

  return {
    worker,
    async handle(jobs: Array<{ data: { outboxId: string } }>): Promise<void> {
      await Promise.all(jobs.map((j) => sendOne(j.data.outboxId)));
    },
    sendOne,
  };
}
