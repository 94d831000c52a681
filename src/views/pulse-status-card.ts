import type { Lang } from '../domain/language.ts';
import { OTHER_UNIT, type GroupRate } from '../domain/response-breakdown.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import { UNKNOWN_ROLE, type ResponseStatus } from '../services/response-status.ts';
import { figuresText } from './delivery-text.ts';
import { formatDateTime } from './format.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

type Ok = Extract<ResponseStatus, { kind: 'ok' }>;

function rateText(g: GroupRate, k: number, t: Translate): string {
  if (g.shown) return t('status.rate', { answered: g.answered, recipients: g.recipients, rate: g.rate });
  return g.reason === 'small' ? t('status.fewerThanK', { k }) : t('status.hidden');
}

/** `status`: one pulse's response rate in counts, per unit and per staff role, with small groups hidden. */
export function pulseStatusCard(s: Ok, ctx: { lang: Lang; t: Translate }): AdaptiveCard {
  const { t, lang } = ctx;
  const unitName = (key: string) => (key === OTHER_UNIT ? t('status.otherUnit') : (s.unitNames[key] ?? key));
  const roleName = (key: string) => (key === UNKNOWN_ROLE ? t('status.unknownRole') : t(`staffRole.${key}` as MessageKey));
  const sections = [
    ...(s.byUnit.length > 0 ? [{ heading: t('status.byUnit'), rows: s.byUnit.map((g) => ({ title: unitName(g.key), value: rateText(g, s.k, t) })) }] : []),
    ...(s.byRole.groups.length > 0 ? [{ heading: t('status.byRole'), rows: s.byRole.groups.map((g) => ({ title: roleName(g.key), value: rateText(g, s.k, t) })) }] : []),
  ];
  const dates = { opened: formatDateTime(s.pulse.opensAt, lang), closes: formatDateTime(s.pulse.closesAt, lang) };
  return renderCard('pulse-status', {
    title: t('status.title'),
    pulse: t('status.pulse', { title: s.pulse.title[lang], unit: s.unitName }),
    when: t(s.pulse.status === 'open' ? 'status.open' : 'status.closed', dates),
    lines: figuresText(s.figures, s.k, t).map((text) => ({ text })),
    sections,
    privacy: t('status.privacy', { k: s.k }),
  });
}
