import type { ClosedPulse } from './results-repository.ts';
import type { SqlExecutor } from './sql-executor.ts';

export type ExportPulse = ClosedPulse & { tenantId: string };

/** Closed or published pulses by id, with their tenant (for the export link's tenant check and the CLI). */
export async function closedPulsesByIds(sql: SqlExecutor, pulseIds: readonly string[]): Promise<ExportPulse[]> {
  const ids = pulseIds.filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
  if (ids.length === 0) return [];
  return sql.query<ExportPulse>(
    `SELECT id, "tenantId"::text AS "tenantId", "unitId", content, "closesAt", "templateId" FROM "Pulse"
      WHERE id = ANY($1::uuid[]) AND status IN ('closed', 'published') ORDER BY "closesAt" DESC`,
    [ids],
  );
}
