import type { AppRole, CommandInfo } from '../domain/commands.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

export type HelpView = { commands: CommandInfo[]; roles: AppRole[]; minGroupSize: number };

export function helpCard(view: HelpView, t: Translate): AdaptiveCard {
  const roleNames = (['staff', ...view.roles.filter((r) => r !== 'staff')] as AppRole[]).map((r) => t(`role.${r}` as MessageKey));
  return renderCard('help-commands', {
    title: t('help.title'),
    intro: t('help.intro'),
    commands: view.commands.map((c) => ({ command: c.command, description: t(c.descriptionKey) })),
    roles: t('help.yourRoles', { roles: [...new Set(roleNames)].join(', ') }),
    privacy: t('privacy.promise', { k: view.minGroupSize }),
    footer: t('help.footer'),
  });
}
