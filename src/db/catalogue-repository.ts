import type { PrismaClient } from '../generated/prisma/client.ts';
import { bankRefs, loadCatalogue, mergeLocalMeasures } from '../catalogue/load-catalogue.ts';
import type { Catalogue } from '../catalogue/schema.ts';

/** The measure catalogue as one tenant sees it: the shipped entries plus its own. */
export function catalogueRepository(prisma: PrismaClient) {
  async function own(tenantId: string): Promise<unknown[]> {
    return (await prisma.customMeasure.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } })).map((m) => m.definition);
  }

  return {
    /** Stored additions were validated when added; one that no longer validates (a changed bank) is left out rather than breaking suggestions. */
    async forTenant(tenantId: string): Promise<Catalogue> {
      const base = loadCatalogue();
      const merged = mergeLocalMeasures(base, await own(tenantId), bankRefs());
      return merged.ok ? merged.catalogue : base;
    },

    /**
     * Adds measures (`{ "entries": [...] }` or a bare array, in the shipped
     * catalogue's schema) after validating them with the tenant's earlier
     * additions; all are stored or none.
     */
    async add(tenantId: string, raw: unknown, createdBy: string | null): Promise<{ ok: true; added: number } | { ok: false; problems: string[] }> {
      const entries = Array.isArray(raw) ? raw : raw && typeof raw === 'object' && Array.isArray((raw as { entries?: unknown }).entries) ? (raw as { entries: unknown[] }).entries : null;
      if (!entries || entries.length === 0) return { ok: false, problems: ['expected { "entries": [ … ] } with at least one measure'] };
      const earlier = await own(tenantId);
      const merged = mergeLocalMeasures(loadCatalogue(), [...earlier, ...entries], bankRefs());
      if (!merged.ok) return merged;
      const added = merged.added.slice(earlier.length);
      await prisma.customMeasure.createMany({ data: added.map((e) => ({ tenantId, measureId: e.id, definition: e as object, createdBy })) });
      return { ok: true, added: added.length };
    },
  };
}

export type CatalogueRepository = ReturnType<typeof catalogueRepository>;
