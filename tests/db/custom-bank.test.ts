import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankRepository } from '../../src/db/bank-repository.ts';
import type { Database } from '../../src/db/database.ts';
import { loadQuestionBank } from '../../src/question-bank/load-question-bank.ts';
import { openTestDatabase } from '../helpers/test-database.ts';

let db: Database;
let tenantA = '';
let tenantB = '';
const text = (s: string) => ({ nb: s, nn: `${s} (nn)`, en: `${s} (en)` });
const source = '001_dac6763d51a0af21.txt';
const item = (id: string) => ({ id, kind: 'organisation', scale: 'degree', text: text(`Eget spørsmål ${id}`), required: true, source });

beforeAll(async () => {
  db = await openTestDatabase();
  tenantA = (await db.prisma.tenant.create({ data: { teamsTenantId: 'tenant-a' } })).id;
  tenantB = (await db.prisma.tenant.create({ data: { teamsTenantId: 'tenant-b' } })).id;
});
afterAll(async () => {
  await db?.close();
});

describe('coordinators’ own items and templates', () => {
  it('are validated against the shipped bank, stored, and seen only by their tenant', async () => {
    const repo = bankRepository(db.prisma);
    const shippedOrganisationItem = loadQuestionBank().items.find((i) => i.kind === 'organisation')!.id;
    const result = await repo.add(tenantA, { items: [item('vaar-plan')], templates: [{ id: 'vaar-puls', title: text('Vår puls'), purpose: text('Fordi vi lurer'), itemIds: ['vaar-plan', shippedOrganisationItem], source }] }, null);
    expect(result).toEqual({ ok: true, items: 1, templates: 1 });
    const a = await repo.forTenant(tenantA);
    expect(a.templates.map((t) => t.id)).toContain('vaar-puls');
    expect(a.items.map((i) => i.id)).toContain('vaar-plan');
    const b = await repo.forTenant(tenantB);
    expect(b.templates.map((t) => t.id)).not.toContain('vaar-puls');
  });

  it('are refused whole when anything is wrong, and nothing is stored', async () => {
    const repo = bankRepository(db.prisma);
    const shippedId = loadQuestionBank().items[0]!.id;
    const before = await db.prisma.customBankItem.count();
    const bad = await repo.add(tenantA, {
      items: [item('ny-en'), { ...item(shippedId) }],
      templates: [{ id: 'for-lang', title: text('For lang'), purpose: text('x'), itemIds: ['ny-en', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6'], source }],
    }, null);
    expect(bad.ok).toBe(false);
    const problems = (bad as { problems: string[] }).problems.join('\n');
    expect(problems).toContain(`duplicate id "${shippedId}"`);
    expect(problems).toMatch(/for-lang/);
    expect(await db.prisma.customBankItem.count()).toBe(before);
    expect(await db.prisma.customBankTemplate.count({ where: { templateId: 'for-lang' } })).toBe(0);
    expect((await repo.add(tenantA, { items: [{ id: 'x', kind: 'magic' }] }, null)).ok).toBe(false);
  });
});
