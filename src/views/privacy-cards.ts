import type { Lang } from '../domain/language.ts';
import type { MessageKey } from '../i18n/nb.ts';
import type { Translate } from '../i18n/translate.ts';
import type { PersonData } from '../db/privacy-repository.ts';
import type { ErasureProposal } from '../services/erasure.ts';
import { formatDateTime } from './format.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

const LOCALES: Record<Lang, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };
const day = (d: Date, lang: Lang) => new Intl.DateTimeFormat(LOCALES[lang], { timeZone: 'Europe/Oslo', day: 'numeric', month: 'short', year: 'numeric' }).format(d);

/** At most this many lines per section, so the card stays within what Teams shows; the rest is counted. */
export const SECTION_LINES = 40;

function label(t: Translate, key: string, fallback: string): string {
  try {
    return t(key as MessageKey);
  } catch {
    return fallback;
  }
}

type Section = { heading: string; lines: Array<{ text: string }> };

function section(heading: string, texts: string[], t: Translate): Section {
  const shown = texts.slice(0, SECTION_LINES).map((text) => ({ text }));
  if (texts.length > SECTION_LINES) shown.push({ text: t('privacy.data.more', { count: texts.length - SECTION_LINES }) });
  if (shown.length === 0) shown.push({ text: t('privacy.data.empty') });
  return { heading, lines: shown };
}

/** «mine data»: everything stored about the person, for the person only. */
export function personDataCard(data: PersonData, opts: { now: Date; k: number }, lang: Lang, t: Translate): AdaptiveCard {
  const none = t('privacy.data.none');
  const p = data.profile;
  const profile = [
    t('privacy.data.name', { value: p.name ?? none }),
    t('privacy.data.email', { value: p.email ?? none }),
    t('privacy.data.ids', { teams: p.teamsUserId ?? none, aad: p.aadObjectId ?? none }),
    t('privacy.data.staffRole', { value: p.staffRole ? label(t, `staffRole.${p.staffRole}`, p.staffRole) : none }),
    t('privacy.data.schoolLevel', { value: p.schoolLevel ? label(t, `schoolLevel.${p.schoolLevel}`, p.schoolLevel) : none }),
    t('privacy.data.pupilGroups', { value: p.pupilGroups.length ? p.pupilGroups.map((g) => label(t, `pupilGroup.${g}`, g)).join(', ') : none }),
    t('privacy.data.language', { value: p.preferredLanguage ? label(t, `language.${p.preferredLanguage}`, p.preferredLanguage) : none, locale: p.clientLocale ?? none }),
    t('privacy.data.dates', { first: day(p.createdAt, lang), saved: p.profileSavedAt ? day(p.profileSavedAt, lang) : none }),
  ];
  const pulses = data.pulses.map((pulse) =>
    t('privacy.data.pulse', {
      title: pulse.content.title[lang],
      opens: day(pulse.opensAt, lang),
      closes: day(pulse.closesAt, lang),
      status: pulse.answeredAt ? t('privacy.data.answered', { date: day(pulse.answeredAt, lang) }) : t('privacy.data.notAnswered'),
    }),
  );
  const answers = data.pulses.flatMap((pulse) =>
    pulse.answers.map((a) => {
      const title = pulse.content.title[lang];
      if (a.comment !== null) return t('privacy.data.comment', { title, text: a.comment });
      const item = pulse.content.items.find((i) => i.id === a.itemId);
      return t('privacy.data.answer', { title, question: item?.text[lang] ?? a.itemId, value: a.value === null ? t('privacy.data.skipped') : String(a.value) });
    }),
  );
  const audit = data.audit.map((e) => t('privacy.data.auditLine', { date: formatDateTime(e.at, lang), action: e.action }));
  if (data.auditTotal > data.audit.length) audit.push(t('privacy.data.more', { count: data.auditTotal - data.audit.length }));
  return renderCard('privacy-data', {
    title: t('privacy.data.title'),
    intro: t('privacy.data.intro', { date: formatDateTime(opts.now, lang) }),
    sections: [
      section(t('privacy.data.profile'), profile, t),
      section(t('privacy.data.memberships'), data.memberships.map((m) => t('privacy.data.membership', { unit: m.unitName, source: m.source })), t),
      section(t('privacy.data.roles'), data.roles.map((r) => t('privacy.data.role', { role: label(t, `role.${r.role}`, r.role), unit: r.unitName })), t),
      section(t('privacy.data.pulses'), pulses, t),
      section(t('privacy.data.answers'), answers, t),
      section(t('privacy.data.conversations'), data.conversations.map((c) => t('privacy.data.conversation', { kind: label(t, `privacy.data.kind.${c.kind}`, c.kind), date: formatDateTime(c.updatedAt, lang) })), t),
      section(t('privacy.data.audit'), audit, t),
    ],
    footer: t('privacy.data.footer', { k: opts.k }),
  });
}

/** The confirmation before an erasure: what goes, that published results stay, roles others may need. */
export function erasureConfirmCard(p: ErasureProposal, lang: Lang, t: Translate): AdaptiveCard {
  const c = p.counts;
  const notes: Array<{ text: string }> = [];
  if (p.roles.length > 0) notes.push({ text: t('privacy.erase.roles', { roles: p.roles.map((r) => t('privacy.data.role', { role: label(t, `role.${r.role}`, r.role), unit: r.unitName })).join(', ') }) });
  if (p.lastAdmin) notes.push({ text: t('privacy.erase.lastAdmin') });
  notes.push({ text: t('privacy.erase.log') });
  return renderCard('privacy-erase-confirm', {
    title: p.self ? t('privacy.erase.titleSelf') : t('privacy.erase.titleAdmin', { name: p.person.name ?? p.person.email ?? p.person.id.slice(0, 8) }),
    intro: t('privacy.erase.intro'),
    deletes: [
      { text: t('privacy.erase.answers', { answers: c.answers, comments: c.comments }) },
      { text: t('privacy.erase.pulses', { recipients: c.recipients, outbox: c.outbox }) },
      { text: t('privacy.erase.links', { conversations: c.conversations, memberships: c.memberships, roles: c.roles }) },
      { text: t('privacy.erase.profile') },
    ],
    published: t('privacy.erase.published'),
    notes,
    expires: t('privacy.erase.expires', { time: formatDateTime(p.expiresAt, lang) }),
    token: p.token,
    confirm: t('privacy.erase.confirm'),
    cancel: t('privacy.erase.cancel'),
  });
}

/** The audit-log download card (same layout as the results export card). */
export function auditExportCard(link: { url: string; expiresAt: Date }, lang: Lang, t: Translate): AdaptiveCard {
  return renderCard('results-export', {
    title: t('privacy.audit.title'),
    text: t('privacy.audit.text'),
    expires: t('privacy.audit.expires', { time: formatDateTime(link.expiresAt, lang) }),
    privacy: t('privacy.audit.privacy'),
    download: t('privacy.audit.download'),
    url: link.url,
  });
}
