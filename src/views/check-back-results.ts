import type { Lang } from '../domain/language.ts';
import type { Translate } from '../i18n/translate.ts';
import { shareText } from './format.ts';
import type { ResultsView } from '../services/results-summary.ts';

const MAX_LABEL = 60;
const short = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);

/**
 * A check-back round ranks no needs: what it asked is whether the results
 * make sense (1–5). Its bars are the share answering 4–5 per check-back
 * item that is visible under the anonymity rule; [] for any other pulse.
 */
export function agreementBars(view: ResultsView, lang: Lang, t: Translate): Array<{ label: string; value: number; valueText: string }> {
  if (view.target.suppressed) return [];
  return view.target.items.flatMap((i) => {
    if (i.suppressed || i.kind !== 'checkback') return [];
    const text = view.items.find((x) => x.id === i.itemId)?.text[lang] ?? i.itemId;
    return [{ label: short(text), value: i.shareHigh, valueText: shareText(i.shareHigh, i.n, view.k, t) }];
  });
}
