import { createHash } from 'node:crypto';
import { fixture, type Activity } from './harness.ts';

/** A Teams user in the test tenant (or in `tenantId`), with builders for what they send. */
export function teamsUser(key: string, opts: { name?: string; locale?: string; tenantId?: string } = {}) {
  const from = { id: `29:1${key}`, name: opts.name ?? key, aadObjectId: `8d0b2b0e-0000-4000-8000-${createHash('sha256').update(key).digest('hex').slice(0, 12)}` };
  const conversation = { id: `a:1personal-${key}`, ...(opts.tenantId ? { tenantId: opts.tenantId } : {}) };
  const tenant: Activity = opts.tenantId ? { channelData: { tenant: { id: opts.tenantId } } } : {};
  const locale = opts.locale ?? 'nb-NO';
  return {
    from,
    conversationId: conversation.id,
    install: (): Activity => fixture('personal-install', { from, conversation, locale, ...tenant }),
    say: (text: string): Activity => fixture('personal-message', { from, conversation, locale, text, ...tenant }),
    act: (verb: string, data: Record<string, unknown>): Activity =>
      fixture('card-action', { from, conversation, locale, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, ...tenant }),
  };
}

type InvokeBody = { statusCode: number; type: string; value: Record<string, unknown> | string };

/** The Adaptive Card an Action.Execute returned (it replaces the card the user clicked). */
export function invokeCard(res: { status: number; body: unknown }): string {
  const body = res.body as InvokeBody;
  if (res.status !== 200 || body.type !== 'application/vnd.microsoft.card.adaptive') throw new Error(`not a card response: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return JSON.stringify(body.value);
}
