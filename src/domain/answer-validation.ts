import { acceptsAnswers, type PulseStatus } from './pulse-lifecycle.ts';
import { scaleItems, type PulseItem } from './pulse-content.ts';

export type AnswerValue = { itemId: string; value: number | null; comment: string | null };
export type AnswerProblem = { itemId: string; code: 'missing' | 'outOfRange' | 'notANumber' | 'tooLong' };

export type ValidationResult = { ok: true; answers: AnswerValue[] } | { ok: false; problems: AnswerProblem[] };

/**
 * Validates one person's submission for the items they were asked. Card
 * inputs arrive as strings ("1".."5", "" when untouched); the text path
 * passes numbers. Unknown keys are ignored (never stored).
 */
export function validateAnswers(items: readonly PulseItem[], input: Record<string, unknown>): ValidationResult {
  const problems: AnswerProblem[] = [];
  const answers: AnswerValue[] = [];
  for (const item of items) {
    const raw = input[item.id];
    if (item.scale === null) {
      const text = typeof raw === 'string' ? raw.trim() : '';
      if (text.length > (item.maxLength ?? 1000)) problems.push({ itemId: item.id, code: 'tooLong' });
      else if (text) answers.push({ itemId: item.id, value: null, comment: text });
      continue;
    }
    const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
    if (text === '') {
      if (item.required) problems.push({ itemId: item.id, code: 'missing' });
      continue;
    }
    if (!/^-?\d+$/.test(text)) {
      problems.push({ itemId: item.id, code: 'notANumber' });
      continue;
    }
    const value = Number(text);
    if (value < 1 || value > 5) {
      problems.push({ itemId: item.id, code: 'outOfRange' });
      continue;
    }
    answers.push({ itemId: item.id, value, comment: null });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, answers };
}

export type AcceptanceDecision = 'accept' | 'closed' | 'notOpenYet' | 'cancelled' | 'notRecipient';

/** Whether this person may answer this pulse now. Late answers are refused, not stored. */
export function decideAcceptance(pulse: { status: PulseStatus; closesAt: Date }, isRecipient: boolean, now: Date): AcceptanceDecision {
  if (!isRecipient) return 'notRecipient';
  if (pulse.status === 'cancelled') return 'cancelled';
  if (pulse.status === 'draft' || pulse.status === 'scheduled') return 'notOpenYet';
  return acceptsAnswers(pulse, now) ? 'accept' : 'closed';
}

export type TextAnswer = { ok: true; input: Record<string, unknown> } | { ok: false; code: 'noNumbers' | 'tooFew' | 'tooMany' | 'notANumber'; expected: number; got: number };

/**
 * Parses a text reply such as "svar 4 5 3 2" (or "answer 4,5,3,2 takk for
 * sist"): one number per scale question in card order; words after the
 * numbers become the comment when the pulse has one. Works where card buttons
 * fail (Teams mobile), see stack.md.
 */
export function parseTextAnswer(text: string, items: readonly PulseItem[]): TextAnswer {
  const body = text.trim().replace(/^(svar|answer)\b[:\s]*/i, '');
  const tokens = body.split(/[\s,;]+/).filter(Boolean);
  const scale = scaleItems(items);
  const numbers: string[] = [];
  let i = 0;
  while (i < tokens.length && /^\d+$/.test(tokens[i]!)) numbers.push(tokens[i++]!);
  const rest = tokens.slice(i).join(' ');
  if (numbers.length === 0) return { ok: false, code: rest ? 'notANumber' : 'noNumbers', expected: scale.length, got: 0 };
  const commentItem = items.find((it) => it.scale === null);
  if (numbers.length > scale.length) return { ok: false, code: 'tooMany', expected: scale.length, got: numbers.length };
  if (numbers.length < scale.length) {
    return { ok: false, code: rest && /^\D/.test(rest) && !commentItem ? 'notANumber' : 'tooFew', expected: scale.length, got: numbers.length };
  }
  if (rest && !commentItem) return { ok: false, code: 'tooMany', expected: scale.length, got: numbers.length + 1 };
  const input: Record<string, unknown> = Object.fromEntries(scale.map((item, k) => [item.id, numbers[k]]));
  if (commentItem && rest) input[commentItem.id] = body.slice(body.indexOf(rest.split(' ')[0]!)).trim();
  return { ok: true, input };
}
