import type { DateRange } from '../domain/holidays.ts';
import { MAX_HOLIDAY_DAYS, type SchoolHoliday } from '../domain/school-holidays.ts';
import type { Translate } from '../i18n/translate.ts';
import type { HolidayOutcome } from '../services/school-holidays.ts';
import { plainCardText } from './plain-text.ts';

/** 21.12.2026 in every language: the form people type the command in. */
const shownDate = (iso: string) => iso.split('-').reverse().join('.');

export function rangeText(r: DateRange): string {
  return r.from === r.to ? shownDate(r.from) : `${shownDate(r.from)}–${shownDate(r.to)}`;
}

/** «21.12.2026–01.01.2027 Juleferie»; the name is what a leader typed, so it can form no link or markup. */
function holidayText(h: SchoolHoliday, t: Translate): string {
  return `${rangeText(h)} ${h.name ? plainCardText(h.name) : t('holidays.unnamed')}`;
}

/** The bot's answer to «ferie» / «skolerute» / «holidays»: short text, read on a phone. */
export function holidayReplyText(outcome: HolidayOutcome, t: Translate): string {
  switch (outcome.kind) {
    case 'notAllowed':
      return t('holidays.notAllowed');
    case 'usage':
      return t('holidays.usage');
    case 'invalid': {
      const e = outcome.error;
      if (e.problem === 'date') return t('holidays.badDate', { text: plainCardText(e.text) });
      if (e.problem === 'order') return t('holidays.toBeforeFrom', { from: shownDate(e.from), to: shownDate(e.to) });
      return t('holidays.tooLong', { max: MAX_HOLIDAY_DAYS, days: e.days });
    }
    case 'unitNotFound':
      return t('holidays.unitNotFound', { unit: plainCardText(outcome.name) });
    case 'notYourUnit':
      return t('holidays.notYourUnit', { unit: outcome.unit.name });
    case 'chooseUnit':
      return t('holidays.chooseUnit', { units: outcome.units.map((u) => u.name).join(', '), unit: outcome.units[0]?.name ?? '' });
    case 'list': {
      if (outcome.holidays.length === 0) return `${t('holidays.listEmpty', { unit: outcome.unit.name })}\n\n${t('holidays.listFooter')}`;
      const lines = outcome.holidays.map((h) => `- ${holidayText(h, t)}${h.inherited ? ` (${t('holidays.inherited', { unit: h.unitName })})` : ''}`);
      return `${t('holidays.listTitle', { unit: outcome.unit.name })}\n\n${lines.join('\n')}\n\n${t('holidays.listFooter')}`;
    }
    case 'added':
      return t('holidays.added', { holiday: holidayText(outcome.holiday, t), unit: outcome.unit.name });
    case 'exists':
      return t('holidays.exists', { unit: outcome.unit.name, range: rangeText(outcome.holiday) });
    case 'removed':
      return t('holidays.removed', { unit: outcome.unit.name, range: rangeText(outcome.range) });
    case 'notFound':
      return t('holidays.notFound', { unit: outcome.unit.name, range: rangeText(outcome.range) });
  }
}
