/**
 * npm run catalogue:add -- measures.json [--tenant <teamsTenantId>]
 *
 * Adds a tenant's own competence measures (a local course, a network, …) to
 * the catalogue the bot suggests from: JSON `{ "entries": [...] }` in the
 * schema of src/catalogue/measures.nb-nn-en.json. Validated against the
 * shipped catalogue and question bank first; on any problem nothing is stored.
 */
import fs from 'node:fs';
import { loadConfig } from '../src/config.ts';
import { catalogueRepository } from '../src/db/catalogue-repository.ts';
import { openDatabase } from '../src/db/database.ts';
import { ExitError, runCli } from './run-cli.ts';

async function main(args: string[]): Promise<number> {
  const tenantFlag = args.indexOf('--tenant');
  const tenantArg = tenantFlag >= 0 ? args[tenantFlag + 1] : undefined;
  const file = args.find((a, i) => !a.startsWith('--') && (tenantFlag < 0 || i !== tenantFlag + 1));
  if (!file) throw new ExitError('Bruk: npm run catalogue:add -- fil.json [--tenant <tenant-id>]', 2);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ExitError(`Kan ikke lese ${file}: ${(err as Error).message}`, 1);
  }
  const db = await openDatabase(loadConfig().database);
  try {
    const tenants = await db.prisma.tenant.findMany({ select: { id: true, teamsTenantId: true } });
    const tenant = tenantArg ? tenants.find((t) => t.teamsTenantId === tenantArg) : tenants.length === 1 ? tenants[0] : undefined;
    if (!tenant) throw new ExitError(`Velg tenant med --tenant. Kjente tenanter: ${tenants.map((t) => t.teamsTenantId).join(', ') || '(ingen ennå – installer boten først)'}`, 2);
    const result = await catalogueRepository(db.prisma).add(tenant.id, raw, null);
    if (!result.ok) throw new ExitError(`Ingenting ble lagret. Feil i ${file}:\n- ${result.problems.join('\n- ')}`, 1);
    console.log(`Lagret ${result.added} tiltak for ${tenant.teamsTenantId}. De kan foreslås fra nå av.`);
    return 0;
  } finally {
    await db.close();
  }
}

runCli(main, {
  whenLocked: 'Stopp boten (Ctrl+C i «npm start») og prøv igjen, eller bruk PostgreSQL.',
  whenFailed: (message) => [`Ingenting ble lagret: ${message}`],
});
