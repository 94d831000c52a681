/**
 * npm run import -- <fil.csv> [--apply] [--tenant <teamsTenantId>]
 *
 * Imports units, people and roles from a roster CSV (see docs/roster-import.md)
 * into the database named by DATABASE_URL. Without --apply it is a dry run:
 * it prints what would change and writes nothing. With --apply it writes
 * everything in one transaction, and only when no row has an error.
 *
 * Exit codes: 0 ok, 1 bad rows or other errors, 2 usage.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { directoryRepository } from '../src/db/directory-repository.ts';
import { applyRosterPlan, loadRosterState } from '../src/db/roster-repository.ts';
import { parseRosterCsv } from '../src/domain/roster-csv.ts';
import { isEmptyPlan, planRosterImport, type RosterState } from '../src/domain/roster-plan.ts';
import { formatRosterReport } from '../src/domain/roster-report.ts';
import { ExitError, runCli } from './run-cli.ts';

const USAGE = `Bruk (usage): npm run import -- <fil.csv> [--apply] [--tenant <teamsTenantId>]

  <fil.csv>          CSV med e-post, navn, skole og valgfritt kommune, stilling, tilgang (se docs/roster-import.md)
  --apply            lagre endringene (uten dette: tørrkjøring / dry run, ingenting lagres)
  --tenant <id>      Teams-tenant-ID; kan utelates når databasen har nøyaktig én tenant`;

function readCsv(file: string): { text: string; warning: string | null } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ExitError(code === 'ENOENT' ? `Fant ikke filen ${file} (file not found)` : `Kunne ikke lese ${file}: ${(err as Error).message}`, 1);
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), warning: null };
  } catch {
    // Excel's plain "CSV" on Windows is Windows-1252, not UTF-8.
    return {
      text: new TextDecoder('windows-1252').decode(bytes),
      warning: 'Merk: filen er ikke UTF-8; leste den som Windows-1252 (Excel «CSV»). Lagre helst som «CSV UTF-8» og sjekk æ, ø og å i rapporten.',
    };
  }
}

function describeDatabase(db: Config['database']): string {
  if (db.kind === 'pglite') return `PGlite ${db.dataDir ?? '(minne / memory)'}`;
  const url = new URL(db.url);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

async function resolveTenant(db: Database, wanted: string | undefined): Promise<{ teamsTenantId: string; id: string | null }> {
  const tenants = await db.prisma.tenant.findMany({ select: { id: true, teamsTenantId: true, name: true }, orderBy: { createdAt: 'asc' } });
  const list = () => tenants.map((t) => `  ${t.teamsTenantId}${t.name ? `  (${t.name})` : ''}`).join('\n');
  if (wanted) {
    const found = tenants.find((t) => t.teamsTenantId.toLowerCase() === wanted.toLowerCase());
    return found ? { teamsTenantId: found.teamsTenantId, id: found.id } : { teamsTenantId: wanted, id: null };
  }
  if (tenants.length === 1) return { teamsTenantId: tenants[0]!.teamsTenantId, id: tenants[0]!.id };
  if (tenants.length === 0) {
    throw new ExitError('Databasen har ingen tenant ennå (no tenant). Installer boten i Teams først, eller oppgi --tenant <teamsTenantId>.', 2);
  }
  throw new ExitError(`Databasen har ${tenants.length} tenanter; velg én med --tenant <teamsTenantId> (several tenants):\n${list()}`, 2);
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { apply: { type: 'boolean' }, tenant: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new ExitError(`${(err as Error).message}\n\n${USAGE}`, 2);
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.positionals.length !== 1) throw new ExitError(`Oppgi nøyaktig én CSV-fil (exactly one file).\n\n${USAGE}`, 2);
  const file = args.positionals[0]!;
  const apply = args.values.apply === true;

  const { text, warning } = readCsv(file);
  const parsed = parseRosterCsv(text);
  console.log(`Fil (file): ${file}  [skilletegn «${parsed.delimiter === '\t' ? 'tab' : parsed.delimiter}»]`);
  if (warning) console.log(warning);

  if (apply && parsed.errors.length > 0) {
    // Nothing partial: a file with any bad row is not written at all.
    console.log(formatRosterReport(parsed, null));
    console.log(`\nIngenting er lagret (nothing was written): rett feilene over og kjør på nytt.`);
    return 1;
  }

  const config = loadConfig();
  console.log(`Database: ${describeDatabase(config.database)}`);
  const db = await openDatabase(config.database, { log: (msg) => console.log(msg) });
  try {
    const tenant = await resolveTenant(db, args.values.tenant);
    let state: RosterState = { rootUnitId: null, units: [], people: [], memberships: [], roles: [] };
    let tenantRecord: { id: string; rootUnitId: string } | null = null;
    if (tenant.id) state = await loadRosterState(db.prisma, tenant.id);
    if (apply && parsed.errors.length === 0 && (!tenant.id || !state.rootUnitId)) {
      const ensured = await directoryRepository(db.prisma, { minGroupSize: config.minGroupSize }).ensureTenant(tenant.teamsTenantId);
      if (!tenant.id) console.log(`Opprettet tenant (created tenant) ${tenant.teamsTenantId}`);
      state = await loadRosterState(db.prisma, ensured.id);
      tenantRecord = { id: ensured.id, rootUnitId: ensured.rootUnitId };
    } else if (tenant.id && state.rootUnitId) {
      tenantRecord = { id: tenant.id, rootUnitId: state.rootUnitId };
    }
    console.log(`Tenant: ${tenant.teamsTenantId}${tenant.id ? '' : ' (finnes ikke ennå; opprettes med --apply / does not exist yet)'}`);

    const plan = planRosterImport(parsed.rows, state);
    console.log('');
    console.log(formatRosterReport(parsed, plan));
    console.log('');

    const errorCount = parsed.errors.length + plan.errors.length;
    if (!apply) {
      console.log('TØRRKJØRING (dry run): ingenting er lagret. Kjør med --apply for å lagre.');
      if (errorCount > 0) console.log(`Rett ${errorCount === 1 ? 'feilen' : `de ${errorCount} feilene`} først; så lenge det er feil, lagres ingenting.`);
      return errorCount > 0 ? 1 : 0;
    }
    if (errorCount > 0) {
      console.log('Ingenting er lagret (nothing was written): rett feilene over og kjør på nytt.');
      return 1;
    }
    if (isEmptyPlan(plan)) {
      console.log('Ingenting å endre (nothing to change): databasen stemmer allerede med filen.');
      return 0;
    }
    const counts = await applyRosterPlan(db.prisma, tenantRecord!, plan);
    console.log(
      `Lagret (saved): ${counts.unitsCreated} enheter opprettet, ${counts.unitsUpdated} endret; ` +
        `${counts.peopleCreated} personer opprettet, ${counts.peopleUpdated} oppdatert; ` +
        `${counts.membershipsAdded} medlemskap og ${counts.rolesAdded} roller lagt til.`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

runCli(main, {
  whenLocked: 'Boten kjører trolig mot den samme innebygde databasen. Stopp boten mens du importerer, eller kjør bot og import mot PostgreSQL (DATABASE_URL=postgresql://…). (Stop the bot while importing, or use PostgreSQL.)',
  whenFailed: (message) => [`Importen feilet (import failed): ${message}`, 'Ingenting er lagret: alt skrives i én transaksjon (nothing was written).'],
});
