import { z } from 'zod';
import { ItemSchema, TemplateSchema, validateQuestionBank, type Item, type QuestionBank, type Template } from '../question-bank/schema.ts';

/** What a coordinator may add for their tenant: items and templates in the bank's own schema. */
export const CustomBankSchema = z.object({ items: z.array(ItemSchema).default([]), templates: z.array(TemplateSchema).default([]) }).strict();
export type CustomBank = z.infer<typeof CustomBankSchema>;

/** The shipped bank plus a tenant's additions. */
export function mergeBank(bank: QuestionBank, custom: { items: readonly Item[]; templates: readonly Template[] }): QuestionBank {
  return { ...bank, items: [...bank.items, ...custom.items], templates: [...bank.templates, ...custom.templates] };
}

/**
 * Checks additions against the shipped bank and what the tenant already has,
 * with the same rules as the shipped bank (unique ids, ≤ 6 questions per
 * template, known items and themes, kind-specific fields). [] = valid.
 */
export function validateCustomAdditions(bank: QuestionBank, existing: CustomBank, raw: unknown): { ok: true; additions: CustomBank } | { ok: false; problems: string[] } {
  const parsed = CustomBankSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
  const merged = mergeBank(bank, { items: [...existing.items, ...parsed.data.items], templates: [...existing.templates, ...parsed.data.templates] });
  const problems = validateQuestionBank(merged);
  return problems.length ? { ok: false, problems } : { ok: true, additions: parsed.data };
}
