/**
 * npm run bank:add -- additions.json [--tenant <teamsTenantId>]
 *
 * Adds a tenant's own question items and templates (JSON in the question
 * bank's schema: { "items": [...], "templates": [...] }). Everything is
 * validated against the shipped bank first; on any problem nothing is stored.
 */
import fs from 'node:fs';
import { ConfigError, loadConfig } from '../src/config.ts';
import { bankRepository } from '../src/db/bank-repository.ts';
import { openDatabase } from '../src/db/database.ts';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const tenantFlag = args.indexOf('--tenant');
  const tenantArg = tenantFlag >= 0 ? args[tenantFlag + 1] : undefined;
  const file = args.find((a, i) => !a.startsWith('--') && (tenantFlag < 0 || i !== tenantFlag + 1));
  if (!file) {
    console.error('Bruk: npm run bank:add -- fil.json [--tenant <tenant-id>]');
    return 2;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`Kan ikke lese ${file}: ${(err as Error).message}`);
    return 1;
  }
  const db = await openDatabase(loadConfig().database);
  try {
    const tenants = await db.prisma.tenant.findMany({ select: { id: true, teamsTenantId: true } });
    const tenant = tenantArg ? tenants.find((t) => t.teamsTenantId === tenantArg) : tenants.length === 1 ? tenants[0] : undefined;
    if (!tenant) {
      console.error(`Velg tenant med --tenant. Kjente tenanter: ${tenants.map((t) => t.teamsTenantId).join(', ') || '(ingen ennå – installer boten først)'}`);
      return 2;
    }
    const result = await bankRepository(db.prisma).add(tenant.id, raw, null);
    if (!result.ok) {
      console.error(`Ingenting ble lagret. Feil i ${file}:\n- ${result.problems.join('\n- ')}`);
      return 1;
    }
    console.log(`Lagret ${result.items} spørsmål og ${result.templates} maler for ${tenant.teamsTenantId}.`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exitCode = 1;
  },
);
