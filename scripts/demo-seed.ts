/**
 * npm run demo:seed [-- --tenant <teamsTenantId>] [--reset]
 *
 * Fills the database named by DATABASE_URL with demo data: Fjordvik kommune
 * with four schools, their staff, and closed, published pulses whose answers
 * follow the seeds' patterns (src/db/demo/answer-values.ts). Deterministic, so
 * screenshots are stable. Without --tenant it uses the only tenant in the
 * database, or, in an empty database, the Agents Playground's tenant, so the
 * demo shows up in `npm start`.
 *
 * Exit codes: 0 ok (also when the demo data already exists), 1 error, 2 usage.
 */
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { chooseDemoTenant, DEMO_MUNICIPALITY, formatSeedResult, PLAYGROUND_TENANT_ID, seedDemoData } from '../src/db/demo-data.ts';
import { ExitError, runCli } from './run-cli.ts';

const USAGE = `Bruk (usage): npm run demo:seed [-- --tenant <teamsTenantId>] [--reset]

  --tenant <id>   Teams-tenant-ID; uten denne: den eneste tenanten i databasen,
                  eller Agents Playground-tenanten (${PLAYGROUND_TENANT_ID}) i en tom database
  --reset         slett tidligere demodata for tenanten først og lag dem på nytt`;

function describeDatabase(db: Config['database']): string {
  if (db.kind === 'pglite') return `PGlite ${db.dataDir ?? '(minne / memory)'}`;
  const url = new URL(db.url);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { tenant: { type: 'string' }, reset: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new ExitError(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  console.log(`Database: ${describeDatabase(config.database)}`);
  const db = await openDatabase(config.database, { log: (msg) => console.log(msg) });
  try {
    const chosen = await chooseDemoTenant(db.prisma, args.values.tenant?.trim() || undefined);
    if ('error' in chosen) throw new ExitError(chosen.error, 2);
    const result = await seedDemoData(db.prisma, { teamsTenantId: chosen.teamsTenantId, reset: args.values.reset === true, minGroupSize: config.minGroupSize });
    console.log(formatSeedResult(result));
    console.log('');
    console.log(`Start boten med «npm start». Skriv «rolle meg leder ${DEMO_MUNICIPALITY}» i Playground`);
    console.log('(den første som snakker med boten er administrator og kan gi seg selv en rolle).');
    if (chosen.teamsTenantId !== PLAYGROUND_TENANT_ID) {
      console.log(`Merk: Agents Playground bruker tenant ${PLAYGROUND_TENANT_ID}; denne tenanten vises bare i Teams.`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

runCli(main, {
  whenLocked: 'Boten kjører trolig mot den samme innebygde databasen. Stopp boten (npm start) og kjør demo:seed på nytt. (Stop the bot first.)',
  whenFailed: (message) => [`Demodata feilet (demo seed failed): ${message}`, 'Ingen demodata er lagret: de skrives i én transaksjon (no demo data was written).'],
});
