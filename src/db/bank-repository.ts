import type { PrismaClient } from '../generated/prisma/client.ts';
import { mergeBank, validateCustomAdditions, type CustomBank } from '../domain/custom-bank.ts';
import { loadQuestionBank } from '../question-bank/load-question-bank.ts';
import { ItemSchema, TemplateSchema, type QuestionBank } from '../question-bank/schema.ts';

/** The question bank as one tenant sees it: shipped items and templates plus its own. */
export function bankRepository(prisma: PrismaClient) {
  async function custom(tenantId: string): Promise<CustomBank> {
    const [items, templates] = await Promise.all([
      prisma.customBankItem.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } }),
      prisma.customBankTemplate.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } }),
    ]);
    return { items: items.map((i) => ItemSchema.parse(i.definition)), templates: templates.map((t) => TemplateSchema.parse(t.definition)) };
  }

  return {
    async forTenant(tenantId: string): Promise<QuestionBank> {
      return mergeBank(loadQuestionBank(), await custom(tenantId));
    },

    /** Validates against the whole merged bank, then stores all additions or none. */
    async add(tenantId: string, raw: unknown, createdBy: string | null): Promise<{ ok: true; items: number; templates: number } | { ok: false; problems: string[] }> {
      const result = validateCustomAdditions(loadQuestionBank(), await custom(tenantId), raw);
      if (!result.ok) return result;
      await prisma.$transaction(async (tx) => {
        await tx.customBankItem.createMany({ data: result.additions.items.map((i) => ({ tenantId, itemId: i.id, definition: i as object, createdBy })) });
        await tx.customBankTemplate.createMany({ data: result.additions.templates.map((t) => ({ tenantId, templateId: t.id, definition: t as object, createdBy })) });
      });
      return { ok: true, items: result.additions.items.length, templates: result.additions.templates.length };
    },
  };
}

export type BankRepository = ReturnType<typeof bankRepository>;
