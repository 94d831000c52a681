import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Deps } from '../deps.ts';
import { parseRoleCommand, ROLE_COMMAND_PATTERN } from '../domain/role-command.ts';
import type { MessageKey } from '../i18n/nb.ts';
import { resolveActor } from './turn-actor.ts';

/** Admins grant and revoke app roles (staff/leader/coordinator/admin) per unit. */
export function registerRoleRoutes(app: Application<TurnState>, deps: Deps): void {
  app.message(ROLE_COMMAND_PATTERN, async (context) => {
    const actor = await resolveActor(context, deps);
    if (!actor.roles.some((r) => r.role === 'admin')) {
      await context.sendActivity(actor.t('roleCmd.notAdmin'));
      return;
    }
    const command = parseRoleCommand(context.activity.text ?? '');
    if (!command) {
      await context.sendActivity(actor.t('roleCmd.usage'));
      return;
    }
    const person = 'self' in command.who ? actor.person : await deps.directory.findPersonByEmail(actor.tenant.id, command.who.email);
    if (!person) {
      await context.sendActivity(actor.t('roleCmd.personNotFound', { email: 'email' in command.who ? command.who.email : '' }));
      return;
    }
    const units = await deps.directory.units(actor.tenant.id);
    const unit = command.unitName ? units.find((u) => u.name.toLowerCase() === command.unitName!.toLowerCase()) : units.find((u) => u.id === actor.tenant.rootUnitId);
    if (!unit) {
      await context.sendActivity(actor.t('roleCmd.unitNotFound', { unit: command.unitName ?? '' }));
      return;
    }
    const changed = command.revoke ? await deps.directory.revokeRole(person.id, unit.id, command.role) : await deps.directory.grantRole(person.id, unit.id, command.role, actor.person.id);
    if (changed) {
      await deps.audit.record({ tenantId: actor.tenant.id, actorId: actor.person.id, action: command.revoke ? 'role.revoked' : 'role.granted', target: person.id, details: { role: command.role, unitId: unit.id } });
    }
    const key = command.revoke ? (changed ? 'roleCmd.revoked' : 'roleCmd.notHeld') : changed ? 'roleCmd.granted' : 'roleCmd.already';
    await context.sendActivity(actor.t(key, { name: person.name ?? person.id.slice(0, 8), role: actor.t(`role.${command.role}` as MessageKey), unit: unit.name }));
  });
}
