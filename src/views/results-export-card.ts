import type { Lang } from '../domain/language.ts';
import type { Translate } from '../i18n/translate.ts';
import type { ExportLinkOutcome } from '../services/results-export.ts';
import { formatDateTime } from './format.ts';
import { renderCard, type AdaptiveCard } from './render-card.ts';

/** The download card: what the file holds, until when the link works, the privacy rule, and a «Last ned CSV» button. */
export function resultsExportCard(link: Extract<ExportLinkOutcome, { kind: 'ok' }>, lang: Lang, t: Translate): AdaptiveCard {
  return renderCard('results-export', {
    title: t('export.title', { title: link.pulseTitle }),
    text: t('export.text', { unit: link.unitName, breakdown: t(link.breakdown === 'schoolLevel' ? 'export.byLevel' : 'export.byRole') }),
    expires: t('export.expires', { time: formatDateTime(link.expiresAt, lang) }),
    privacy: t('results.privacy', { k: link.k }),
    download: t('export.download'),
    url: link.url,
  });
}
