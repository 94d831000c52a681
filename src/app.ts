import { Application, TeamsAdapter, TurnState, type PromptCompletionModel } from '@microsoft/teams-ai';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { CertificateServiceClientCredentialsFactory, type ServiceClientCredentialsFactory } from 'botframework-connector';
import fs from 'node:fs';
import type { Config } from './config.ts';
import { isDatabaseUnavailable } from './db/database-errors.ts';
import type { Deps } from './deps.ts';
import { resolveLanguage } from './domain/language.ts';
import { translator } from './i18n/translate.ts';
import { pseudonym } from './logger.ts';
import { plannerOptions, registerAiRoutes } from './routes/ai-routes.ts';
import { registerHelpRoutes } from './routes/help-routes.ts';
import { registerHolidayRoutes } from './routes/holiday-routes.ts';
import { registerInstallRoutes } from './routes/install-routes.ts';
import { registerTenantGuard } from './routes/tenant-guard.ts';
import { messageInvokeResponse } from './routes/activity-info.ts';
// security (issue 8)
import { CheckedTeamsAdapter, PUBLIC_CLOUD } from './routes/inbound-auth.ts';
import { registerRateLimit } from './routes/rate-limit.ts';
import { registerFallbackRoutes } from './routes/fallback-routes.ts';
import { registerProfileRoutes } from './routes/profile-routes.ts';
import { registerPulseRoutes } from './routes/pulse-routes.ts';
import { registerResultsExtraRoutes } from './routes/results-extra-routes.ts';
import { registerResultsRoutes } from './routes/results-routes.ts';
import { registerExportRoutes } from './routes/export-routes.ts';
import { registerCheckBackRoutes } from './routes/check-back-routes.ts';
import { registerMeasureEffectRoutes } from './routes/measure-effect-routes.ts';
import { registerMeasureRoutes } from './routes/measure-routes.ts';
import { registerRoleRoutes } from './routes/role-routes.ts';
// privacy (issue 8)
import { registerPrivacyRoutes } from './routes/privacy-routes.ts';
import { registerRosterRoutes } from './routes/roster-routes.ts';
import { registerStartPulseRoutes } from './routes/start-pulse-routes.ts';
import { registerPlanRoutes } from './routes/plan-routes.ts';
import { registerPlanListRoutes } from './routes/plan-list-routes.ts';
import { registerPulseStatusRoutes } from './routes/pulse-status-routes.ts';
import { teamsCardSender } from './delivery/teams-sender.ts';

export type BotApp = { app: Application<TurnState>; adapter: TeamsAdapter };

export type CreateAppOptions = {
  /** Replaces the OpenAI model of the optional planner (used only when config.ai is set); tests pass a fake. */
  aiModel?: PromptCompletionModel;
};

/**
 * Builds the adapter. An empty MicrosoftAppId makes botbuilder skip auth both
 * ways (local mode with the Agents Playground); with an app id every inbound
 * request must carry a valid Bot Framework JWT. `credentialsFactory` replaces
 * the credentials for outgoing calls (tests: a local token endpoint).
 */
export function createAdapter(config: Config, credentialsFactory?: ServiceClientCredentialsFactory): TeamsAdapter {
  if (config.mode === 'local') return new TeamsAdapter({});
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppTenantId: config.bot.tenantId,
    MicrosoftAppType: config.bot.appType,
    // security (issue 8): with any one endpoint given, botbuilder leaves all the others empty; PUBLIC_CLOUD fills them in.
    ...(config.bot.openIdMetadataUrl ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: config.bot.openIdMetadataUrl } : {}),
  };
  const certificate =
    config.bot.certificateThumbprint && config.bot.certificatePrivateKeyFile
      ? new CertificateServiceClientCredentialsFactory(
          config.bot.appId,
          config.bot.certificateThumbprint,
          fs.readFileSync(config.bot.certificatePrivateKeyFile, 'utf8'),
          config.bot.tenantId,
        )
      : undefined;
  return new CheckedTeamsAdapter(auth, credentialsFactory ?? certificate);
}

/** The Teams application with every feature's routes registered, in match order. */
export function createApp(deps: Deps, adapter: TeamsAdapter = createAdapter(deps.config), options: CreateAppOptions = {}): BotApp {
  // Only with a configured key: the teams-ai planner for leaders' free questions (routes/ai-routes.ts).
  const ai = plannerOptions(deps, options.aiModel);
  const app = new Application<TurnState>({
    adapter,
    botAppId: deps.config.bot.appId,
    // Typing indicators would be extra connector calls on every turn.
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
    ...(ai ? { ai } : {}),
  });

  deps.sender ??= teamsCardSender(adapter, deps.config.bot.appId);

  registerTenantGuard(app, deps);
  // security (issue 8): after the tenant guard, before any route reads or stores anything.
  registerRateLimit(app, deps);
  registerInstallRoutes(app, deps);
  registerRosterRoutes(app, deps);
  registerHelpRoutes(app, deps);
  registerProfileRoutes(app, deps);
  registerPulseRoutes(app, deps);
  registerStartPulseRoutes(app, deps);
  registerPlanRoutes(app, deps);
  registerPlanListRoutes(app, deps);
  registerPulseStatusRoutes(app, deps);
  registerRoleRoutes(app, deps);
  // school holidays (issue 14): «ferie», «skolerute», «fjern ferie …», en «holidays».
  registerHolidayRoutes(app, deps);
  // privacy (issue 8): «mine data», «slett mine data», «slett person …», «eksport logg» — before «eksport» and the results patterns.
  registerPrivacyRoutes(app, deps);
  // Before the general results routes and the planner: «sjekk tilbake», «effekt av tiltak» (issue 6).
  registerCheckBackRoutes(app, deps);
  registerMeasureEffectRoutes(app, deps);
  // Before the general results pattern: "hva bør vi gjøre …" is not a results question.
  registerMeasureRoutes(app, deps);
  // Before the general results pattern, so it does not swallow "trend" or "kommentarer".
  registerResultsExtraRoutes(app, deps);
  registerResultsRoutes(app, deps);
  registerExportRoutes(app, deps);
  registerFallbackRoutes(app, deps, registerAiRoutes(app, deps));

  app.error(async (context, error) => {
    const unavailable = isDatabaseUnavailable(error);
    deps.logger.error(
      { err: { name: error.name, message: error.message, stack: error.stack }, conversation: pseudonym(context.activity.conversation?.id), type: context.activity.type },
      unavailable ? 'database unavailable during turn' : 'turn failed',
    );
    if (context.activity.type !== 'message' && context.activity.type !== 'invoke') return;
    const t = translator(resolveLanguage(null, context.activity.locale));
    const text = t(unavailable ? 'error.unavailable' : 'error.generic');
    try {
      // A card action gets the words as its response: the card, with whatever was filled in, stays and can be sent again.
      await context.sendActivity(context.activity.name === 'adaptiveCard/action' ? messageInvokeResponse(text) : text);
    } catch (sendError) {
      deps.logger.warn({ err: { message: (sendError as Error).message } }, 'could not tell the user about the failure');
    }
  });

  return { app, adapter };
}
