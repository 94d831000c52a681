import type { Actor } from './actor.ts';
import type { Deps } from '../deps.ts';
import { checkBackRepository } from '../db/check-back-repository.ts';
import type { PulseRecord } from '../db/pulse-repository.ts';
import { checkBackTargets, CHECK_BACK_TEMPLATE, type CheckBackForm } from '../domain/check-back.ts';
import { LANGUAGES } from '../domain/language.ts';
import { buildPulseContent, scaleItems, type PulseContent } from '../domain/pulse-content.ts';
import { closesAtFor } from '../domain/pulse-start.ts';
import { canStartPulseFor, PULSE_STARTER_ROLES, unitsInScope } from '../domain/unit-scope.ts';
import { translator } from '../i18n/translate.ts';
import type { LocalizedText } from '../question-bank/schema.ts';
import { openPulseTo } from './open-pulse.ts';
import { latestRoundInScope, roundUnitName } from './results-scope.ts';

export type CheckBackProposal =
  | { kind: 'notAllowed' }
  | { kind: 'noResults' }
  | { kind: 'exists'; title: string }
  | {
      kind: 'ok';
      title: string;
      unitName: string;
      closedAt: Date;
      pulseIds: string[];
      recipients: number;
      /** Pulses of the round that already had their check-back. */
      already: number;
      /** The questions the staff will get. */
      questions: string[];
    };

export type CheckBackOutcome =
  | { kind: 'notAllowed' }
  | { kind: 'exists'; title: string }
  | { kind: 'noRecipients'; title: string }
  | { kind: 'started'; title: string; pulses: number; recipients: number; closesAt: Date };

const ORIGINAL_STATUSES: readonly string[] = ['closed', 'published'];

/**
 * The check-back's own title, in every language: it says which results it is
 * about, so the staff's card, the close notice and «resultater» all read
 * «Tilbakemelding på «Læringsmiljø – behov»». Snapshotted with the content,
 * like every pulse text.
 */
function checkBackContent(template: PulseContent, original: PulseContent): PulseContent {
  const title = Object.fromEntries(LANGUAGES.map((lang) => [lang, translator(lang)('checkBack.pulseTitle', { title: original.title[lang] })])) as LocalizedText;
  return { ...template, title };
}

/**
 * What «sjekk tilbake» would send: for the latest round of results in the
 * actor's scope, the pulses that have no check-back yet and how many people
 * got them. Nothing is sent until the leader confirms.
 */
export async function proposeCheckBack(deps: Deps, actor: Actor): Promise<CheckBackProposal> {
  const found = await latestRoundInScope(deps, actor);
  if (found.kind !== 'ok') return found;
  const repo = checkBackRepository(deps.db.prisma);
  const links = await repo.links(actor.tenant.id, found.round.map((p) => p.id));
  const targets = checkBackTargets(links, (unitId) => canStartPulseFor(found.units, actor.roles, unitId));
  if (targets.ask.length === 0) {
    // The latest round is itself a check-back: name the results it asked about.
    const origin = targets.origins[0] ? await deps.pulses.find(actor.tenant.id, targets.origins[0]) : null;
    if (origin) return { kind: 'exists', title: origin.content.title[actor.lang] };
    return targets.already.length > 0 ? { kind: 'exists', title: found.pulse.content.title[actor.lang] } : { kind: 'notAllowed' };
  }
  const template = buildPulseContent(await deps.bank.forTenant(actor.tenant.id), CHECK_BACK_TEMPLATE);
  return {
    kind: 'ok',
    title: found.pulse.content.title[actor.lang],
    unitName: roundUnitName(found),
    closedAt: found.pulse.closesAt,
    pulseIds: targets.ask,
    recipients: await repo.recipientCount(targets.ask),
    already: targets.already.length,
    questions: scaleItems(template.items).map((i) => i.text[actor.lang]),
  };
}

/**
 * Sends the check-back for the confirmed pulses: one pulse per original
 * pulse, to exactly its recipients, linked to it (checkBackOfId). Every
 * pulse id from the card is checked again (tenant, scope, closed, not a
 * check-back itself, none yet): a card can be forged, stale or pressed twice.
 */
export async function sendCheckBack(deps: Deps, actor: Actor, form: CheckBackForm): Promise<CheckBackOutcome> {
  const units = await deps.directory.units(actor.tenant.id);
  if (unitsInScope(units, actor.roles, PULSE_STARTER_ROLES).length === 0) return { kind: 'notAllowed' };
  const repo = checkBackRepository(deps.db.prisma);
  const found = await Promise.all(form.pulseIds.map((id) => deps.pulses.find(actor.tenant.id, id)));
  const originals = found.filter((p): p is PulseRecord => p !== null && ORIGINAL_STATUSES.includes(p.status));
  const links = await repo.links(actor.tenant.id, originals.map((p) => p.id));
  const targets = checkBackTargets(links, (unitId) => canStartPulseFor(units, actor.roles, unitId));
  const first = originals[0];
  if (!first) return { kind: 'notAllowed' };
  const title = first.content.title[actor.lang];
  if (targets.ask.length === 0) return targets.already.length > 0 ? { kind: 'exists', title } : { kind: 'notAllowed' };

  const template = buildPulseContent(await deps.bank.forTenant(actor.tenant.id), CHECK_BACK_TEMPLATE);
  const now = deps.clock();
  const closesAt = closesAtFor(form.window, now);
  let pulses = 0;
  let recipients = 0;
  let raced = false;
  for (const original of originals) {
    if (!targets.ask.includes(original.id)) continue;
    const opened = await openPulseTo(
      deps,
      {
        tenant: actor.tenant,
        unitId: original.unitId,
        content: checkBackContent(template, original.content),
        roleFilter: original.roleFilter,
        opensAt: now,
        closesAt,
        remindAt: [],
        onClose: 'publish',
        createdById: actor.person.id,
        link: { checkBackOfId: original.id },
      },
      await repo.recipientsOf(original.id),
    );
    // created: false only when a second press raced this one: it sent nothing new.
    raced ||= Boolean(opened.pulse && !opened.created);
    if (!opened.pulse || !opened.created) continue;
    pulses += 1;
    recipients += opened.asked;
    await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action: 'checkBack.started', target: opened.pulse.id, details: { checkBackOf: original.id, recipients: opened.asked } });
  }
  if (pulses === 0) return raced || targets.already.length > 0 ? { kind: 'exists', title } : { kind: 'noRecipients', title };
  return { kind: 'started', title, pulses, recipients, closesAt };
}
