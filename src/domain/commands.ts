import type { MessageKey } from '../i18n/nb.ts';

export const APP_ROLES = ['staff', 'leader', 'coordinator', 'admin'] as const;
export type AppRole = (typeof APP_ROLES)[number];

export type CommandInfo = {
  /** What the person types (bokmål; English aliases are matched by the routes). */
  command: string;
  descriptionKey: MessageKey;
  /** Roles that may use it; `staff` means everyone who uses the bot. */
  roles: readonly AppRole[];
  /** false: answered and listed in help, but left out of the Teams command menu (the manifest allows at most 10). */
  menu?: false;
};

/**
 * The commands the bot really answers, in the order the help card lists them.
 * A command is added here in the same change that adds its route, so help
 * never advertises something that does not work.
 */
export const COMMANDS: readonly CommandInfo[] = [
  { command: 'hjelp', descriptionKey: 'cmd.hjelp', roles: ['staff', 'leader', 'coordinator', 'admin'] },
  { command: 'profil', descriptionKey: 'cmd.profil', roles: ['staff', 'leader', 'coordinator', 'admin'] },
  { command: 'svar', descriptionKey: 'cmd.svar', roles: ['staff', 'leader', 'coordinator', 'admin'] },
  { command: 'start puls', descriptionKey: 'cmd.startPuls', roles: ['leader', 'coordinator'] },
  { command: 'ny plan', descriptionKey: 'cmd.nyPlan', roles: ['leader', 'coordinator'] },
  { command: 'planer', descriptionKey: 'cmd.planer', roles: ['leader', 'coordinator'] },
  { command: 'status', descriptionKey: 'cmd.svarprosent', roles: ['leader', 'coordinator'] },
  { command: 'resultater', descriptionKey: 'cmd.resultater', roles: ['staff', 'leader', 'coordinator', 'admin'] },
  { command: 'forslag', descriptionKey: 'cmd.forslag', roles: ['leader', 'coordinator'] },
  { command: 'eksport', descriptionKey: 'cmd.eksport', roles: ['leader', 'coordinator'] },
  { command: 'trend', descriptionKey: 'cmd.trend', roles: ['leader', 'coordinator'], menu: false },
  { command: 'kommentarer', descriptionKey: 'cmd.kommentarer', roles: ['leader', 'coordinator'], menu: false },
  { command: 'sjekk tilbake', descriptionKey: 'cmd.sjekkTilbake', roles: ['leader', 'coordinator'], menu: false },
  { command: 'effekt av tiltak', descriptionKey: 'cmd.effektAvTiltak', roles: ['leader', 'coordinator'], menu: false },
  // sharing with staff (issue 5)
  { command: 'del resultater', descriptionKey: 'cmd.delResultater', roles: ['leader', 'coordinator'], menu: false },
  // school holidays (issue 14)
  { command: 'ferie', descriptionKey: 'cmd.ferie', roles: ['leader', 'coordinator'], menu: false },
  // Admins use it rarely; the menu's ten places go to everyday commands.
  { command: 'rolle', descriptionKey: 'cmd.rolle', roles: ['admin'], menu: false },
  // privacy (issue 8)
  { command: 'mine data', descriptionKey: 'cmd.mineData', roles: ['staff', 'leader', 'coordinator', 'admin'], menu: false },
  { command: 'slett mine data', descriptionKey: 'cmd.slettMineData', roles: ['staff', 'leader', 'coordinator', 'admin'], menu: false },
  { command: 'slett person', descriptionKey: 'cmd.slettPerson', roles: ['admin'], menu: false },
  { command: 'eksport logg', descriptionKey: 'cmd.eksportLogg', roles: ['admin'], menu: false },
];

/** Commands a person with `roles` may use; everyone is at least staff. */
export function commandsFor(roles: readonly AppRole[], commands: readonly CommandInfo[] = COMMANDS): CommandInfo[] {
  const held = new Set<AppRole>(['staff', ...roles]);
  return commands.filter((c) => c.roles.some((r) => held.has(r)));
}

/**
 * Whether activities from `tenantId` are served. An empty allow-list serves
 * every tenant; an activity without a tenant is accepted only in local mode
 * (the Agents Playground), never in production.
 */
export function isTenantAllowed(policy: { mode: 'local' | 'production'; allowedTenants: readonly string[] }, tenantId: string | undefined): boolean {
  if (!tenantId) return policy.mode === 'local';
  return policy.allowedTenants.length === 0 || policy.allowedTenants.some((t) => t.toLowerCase() === tenantId.toLowerCase());
}
