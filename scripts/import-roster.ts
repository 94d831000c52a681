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
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { directoryRepository } from '../src/db/directory-repository.ts';
import { applyRosterPlan, loadRosterState } from '../src/db/roster-repository.ts';
import { parseRosterCsv } from '../src/domain/roster-csv.ts';
import { isEmptyPlan, planRosterImport, type RosterState } from '../src/domain/roster-plan.ts';
import { formatRosterReport } from '../src/domain/roster-report.ts';
import { describeDatabase, importArgs, nothingWrittenOnFailure, readCsv, resolveTenant } from './cli-input.ts';
import { runCli } from './run-cli.ts';

const USAGE = `Bruk (usage): npm run import -- <fil.csv> [--apply] [--tenant <teamsTenantId>]

  <fil.csv>          CSV med e-post, navn, skole og valgfritt kommune, stilling, tilgang (se docs/roster-import.md)
  --apply            lagre endringene (uten dette: tørrkjøring / dry run, ingenting lagres)
  --tenant <id>      Teams-tenant-ID; kan utelates når databasen har nøyaktig én tenant`;

async function main(argv: string[]): Promise<number> {
  const args = importArgs(argv, USAGE);
  if (!args) return 0;
  const { file, apply } = args;

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
    const tenant = await resolveTenant(db, args.tenant);
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
  whenFailed: nothingWrittenOnFailure,
});
