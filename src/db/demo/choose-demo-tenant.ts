import type { PrismaClient } from '../../generated/prisma/client.ts';

/** The tenant id the Microsoft 365 Agents Playground sends (its default config). */
export const PLAYGROUND_TENANT_ID = '00000000-0000-0000-0000-0000000000001';

/**
 * Which tenant to seed: the one asked for; else the only tenant in the
 * database; else (an empty database) the Agents Playground's tenant, so the
 * demo shows up in `npm start`. Several tenants and none asked for is an error.
 */
export async function chooseDemoTenant(prisma: PrismaClient, wanted: string | undefined): Promise<{ teamsTenantId: string } | { error: string }> {
  if (wanted) return { teamsTenantId: wanted };
  const tenants = await prisma.tenant.findMany({ select: { teamsTenantId: true, name: true }, orderBy: { createdAt: 'asc' } });
  if (tenants.length === 0) return { teamsTenantId: PLAYGROUND_TENANT_ID };
  if (tenants.length === 1) return { teamsTenantId: tenants[0]!.teamsTenantId };
  const list = tenants.map((t) => `  ${t.teamsTenantId}${t.name ? `  (${t.name})` : ''}`).join('\n');
  return { error: `Databasen har ${tenants.length} tenanter; velg én med --tenant <teamsTenantId> (several tenants):\n${list}` };
}
