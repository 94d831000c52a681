import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory, type TurnContext } from 'botbuilder';
import type { Express } from 'express';
import type { Deps } from '../deps.ts';
import { auditExportLink, auditFileFor } from '../services/audit-export.ts';
import { confirmErasure, myData, proposeAdminErasure, proposeSelfErasure } from '../services/erasure.ts';
import { noticeCard } from '../views/pulse-card.ts';
import { auditExportCard, erasureConfirmCard, personDataCard } from '../views/privacy-cards.ts';
import { conversationKindOf } from './activity-info.ts';
import { resolveActor } from './turn-actor.ts';

/** «mine data» (nb, nn), «my data» (en). */
export const MY_DATA_PATTERN = /^\s*(mine\s+data|mine\s+opplysningar|mine\s+opplysninger|my\s+data)\s*[.!?]?\s*$/i;
/** «slett mine data» (nb, nn), «delete my data» (en). */
export const ERASE_SELF_PATTERN = /^\s*(slett|delete|erase)\s+(mine|my)\s+(data|opplysninger|opplysningar)\s*[.!]?\s*$/i;
/** «slett person kari@skole.no» (admins), «delete person …». */
export const ERASE_PERSON_PATTERN = /^\s*(slett|delete|erase)\s+(person|personen)\b\s*(.*)$/i;
/** «eksport logg», «eksporter loggen», «audit export», «export audit log». */
export const AUDIT_EXPORT_PATTERN = /^\s*((eksport|eksporter|export)\s+(revisjons)?(logg|loggen|log|audit(\s+log)?)|audit\s+(export|log))\s*[.!]?\s*$/i;

const isPersonal = (context: TurnContext) => conversationKindOf(context.activity) === 'personal';

/**
 * Right of access and erasure, and the audit-log export (README,
 * "Personvern"). Everything here answers in personal chat only: it shows
 * a person's own data, names someone to erase, or hands out a download link.
 * Registered before the results and export patterns.
 */
export function registerPrivacyRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(MY_DATA_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    if (!isPersonal(context)) return void (await context.sendActivity(actor.t('privacy.personalOnly')));
    const data = await myData(deps, actor);
    if (!data) return void (await context.sendActivity(actor.t('privacy.erase.gone')));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(personDataCard(data, { now: deps.clock(), k: actor.tenant.minGroupSize }, actor.lang, actor.t))] });
  });

  app.message(ERASE_SELF_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    if (!isPersonal(context)) return void (await context.sendActivity(actor.t('privacy.personalOnly')));
    const proposal = await proposeSelfErasure(deps, actor);
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(erasureConfirmCard(proposal, actor.lang, actor.t))] });
  });

  app.message(ERASE_PERSON_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    if (!actor.roles.some((r) => r.role === 'admin')) return void (await context.sendActivity(actor.t('privacy.erase.notAdmin')));
    if (!isPersonal(context)) return void (await context.sendActivity(actor.t('privacy.personalOnly')));
    const email = (context.activity.text ?? '').match(ERASE_PERSON_PATTERN)?.[3]?.trim().toLowerCase() ?? '';
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return void (await context.sendActivity(actor.t('privacy.erase.usage')));
    const outcome = await proposeAdminErasure(deps, actor, email);
    if (outcome.kind === 'notAdmin') return void (await context.sendActivity(actor.t('privacy.erase.notAdmin')));
    if (outcome.kind === 'notFound') return void (await context.sendActivity(actor.t('privacy.erase.notFound', { email })));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(erasureConfirmCard(outcome.proposal, actor.lang, actor.t))] });
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>('privacy.eraseConfirm', async (context, _state, data) => {
    const actor = await resolveActor(context, deps);
    const outcome = await confirmErasure(deps, actor, data?.token);
    const title = actor.t('privacy.erase.doneTitle');
    if (outcome.kind === 'refused') return noticeCard(title, actor.t('privacy.erase.refused'));
    if (outcome.kind === 'gone') return noticeCard(title, actor.t('privacy.erase.gone'));
    const c = outcome.counts;
    const params = { answers: c.answers, comments: c.comments, recipients: c.recipients };
    return noticeCard(title, outcome.self ? actor.t('privacy.erase.doneSelf', params) : actor.t('privacy.erase.doneAdmin', { ...params, name: outcome.name }));
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>('privacy.eraseCancel', async (context) => {
    const actor = await resolveActor(context, deps);
    return noticeCard(actor.t('privacy.erase.doneTitle'), actor.t('privacy.erase.cancelled'));
  });

  app.message(AUDIT_EXPORT_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    const link = auditExportLink(deps, actor);
    if (link.kind === 'notAdmin') return void (await context.sendActivity(actor.t('privacy.audit.notAdmin')));
    if (!isPersonal(context)) return void (await context.sendActivity(actor.t('privacy.personalOnly')));
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(auditExportCard(link, actor.lang, actor.t))] });
  });
}

/** GET /export/audit/<token>: the audit log as CSV; the admin role is checked again on download. */
export function registerAuditExportHttp(http: Express, deps: Deps): void {
  http.get('/export/audit/:token', async (req, res) => {
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    try {
      const file = await auditFileFor(deps, req.params.token ?? '');
      if (file.kind === 'forbidden') {
        deps.logger.warn({ reason: file.reason }, 'audit export link refused');
        return void res.status(403).type('text/plain; charset=utf-8').send('Lenken er ugyldig eller utløpt. Skriv «eksport logg» til Kompetansepuls for en ny.');
      }
      res.status(200).set('Content-Type', 'text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${file.filename}"`).send(Buffer.from(file.csv, 'utf8'));
    } catch (err) {
      deps.logger.error({ err: { message: (err as Error).message } }, 'audit export failed');
      if (!res.headersSent) res.status(500).type('text/plain; charset=utf-8').send('Noe gikk galt. Prøv igjen om litt.');
    }
  });
}
