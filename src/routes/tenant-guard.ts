import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Deps } from '../deps.ts';
import { isTenantAllowed } from '../domain/commands.ts';
import { resolveLanguage } from '../domain/language.ts';
import { translator } from '../i18n/translate.ts';
import { pseudonym } from '../logger.ts';
import { messageInvokeResponse, tenantIdOf } from './activity-info.ts';

/**
 * Runs before every turn. Serves only configured tenants. Activities from others get a polite refusal
 * (for messages and card actions) and nothing about them is stored.
 */
export function registerTenantGuard(app: Application<TurnState>, deps: Deps): void {
  app.turn('beforeTurn', async (context) => {
    // Local mode: the Playground hard-codes en-US; show the configured locale instead.
    if (deps.config.localClientLocale) context.activity.locale = deps.config.localClientLocale;
    const tenantId = tenantIdOf(context.activity);
    if (isTenantAllowed(deps.config, tenantId)) return true;
    deps.logger.warn({ tenant: tenantId, conversation: pseudonym(context.activity.conversation?.id) }, 'activity from a tenant that is not served');
    const refusal = translator(resolveLanguage(null, context.activity.locale))('tenant.notAllowed');
    if (context.activity.type === 'message') await context.sendActivity(refusal);
    // A card action gets the same words as its response (instead of 501 Not Implemented).
    else if (context.activity.type === 'invoke') await context.sendActivity(messageInvokeResponse(refusal));
    return false;
  });
}
