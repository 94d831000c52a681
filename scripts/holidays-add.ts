/**
 * npm run holidays:add -- <fil.csv> [--apply] [--tenant <teamsTenantId>]
 *
 * Adds units' school holidays (skolerute) from a CSV: enhet (name or id),
 * fra, til, navn; `;` or `,` separated; dates 21.12.2026 or 2026-12-21.
 * A holiday on a unit covers the units below it (a kommune's covers its
 * schools). Without --apply it is a dry run that lists what would be added.
 * With --apply it writes everything in one transaction, and only when no row
 * has an error. Holidays already stored are left as they are.
 *
 * Exit codes: 0 ok, 1 bad rows or other errors, 2 usage.
 */
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { directoryRepository } from '../src/db/directory-repository.ts';
import { holidayRepository } from '../src/db/holiday-repository.ts';
import { parseHolidayCsv, planHolidayImport, type HolidayImportPlan } from '../src/domain/holiday-csv.ts';
import type { RowError } from '../src/domain/csv-table.ts';
import { rangeText } from '../src/views/holiday-text.ts';
import { describeDatabase, importArgs, nothingWrittenOnFailure, readCsv, resolveTenant } from './cli-input.ts';
import { ExitError, runCli } from './run-cli.ts';

const USAGE = `Bruk (usage): npm run holidays:add -- <fil.csv> [--apply] [--tenant <teamsTenantId>]

  <fil.csv>          CSV med kolonnene enhet (navn eller id), fra, til, navn – f.eks. «Fjordvik kommune;21.12.2026;01.01.2027;Juleferie»
  --apply            lagre feriene (uten dette: tørrkjøring / dry run, ingenting lagres)
  --tenant <id>      Teams-tenant-ID; kan utelates når databasen har nøyaktig én tenant`;

function printErrors(errors: readonly RowError[]): void {
  console.log(`Feil (errors): ${errors.length}`);
  for (const e of errors) console.log(`  ${e.message}`);
}

function printPlan(plan: HolidayImportPlan): void {
  console.log(`Ferier som legges til (holidays to add): ${plan.add.length}`);
  for (const h of plan.add) console.log(`  + ${h.unitName}: ${rangeText(h)}${h.name ? ` ${h.name}` : ''}  (linje ${h.line})`);
  if (plan.unchanged.length > 0) {
    console.log(`Finnes allerede (already stored): ${plan.unchanged.length}`);
    for (const h of plan.unchanged) console.log(`  = ${h.unitName}: ${rangeText(h)}  (linje ${h.line})`);
  }
}

const NOTHING_WRITTEN = 'Ingenting er lagret (nothing was written): rett feilene over og kjør på nytt.';

async function main(argv: string[]): Promise<number> {
  const args = importArgs(argv, USAGE);
  if (!args) return 0;
  const { text, warning } = readCsv(args.file);
  const parsed = parseHolidayCsv(text);
  console.log(`Fil (file): ${args.file}  [skilletegn «${parsed.delimiter === '\t' ? 'tab' : parsed.delimiter}»]`);
  if (warning) console.log(warning);
  if (parsed.ignoredColumns.length > 0) console.log(`Ignorerte kolonner (ignored columns): ${parsed.ignoredColumns.join(', ')}`);
  if (parsed.errors.length > 0) {
    // Nothing partial: a file with any bad row is not written at all, dry run or not.
    printErrors(parsed.errors);
    console.log(NOTHING_WRITTEN);
    return 1;
  }

  const config = loadConfig();
  console.log(`Database: ${describeDatabase(config.database)}`);
  const db = await openDatabase(config.database, { log: (msg) => console.log(msg) });
  try {
    const tenant = await resolveTenant(db, args.tenant);
    if (!tenant.id) throw new ExitError(`Tenanten ${tenant.teamsTenantId} finnes ikke (no such tenant). Installer boten eller importer enhetene først (npm run import).`, 1);
    console.log(`Tenant: ${tenant.teamsTenantId}`);
    const units = await directoryRepository(db.prisma, { minGroupSize: config.minGroupSize }).units(tenant.id);
    const holidays = holidayRepository(db.prisma);
    const plan = planHolidayImport(parsed.rows, units, await holidays.forTenant(tenant.id));
    console.log('');
    printPlan(plan);
    if (plan.errors.length > 0) {
      printErrors(plan.errors);
      console.log(NOTHING_WRITTEN);
      return 1;
    }
    if (!args.apply) {
      console.log('\nTØRRKJØRING (dry run): ingenting er lagret. Kjør med --apply for å lagre.');
      return 0;
    }
    if (plan.add.length === 0) {
      console.log('\nIngenting å legge til (nothing to add): feriene er allerede lagret.');
      return 0;
    }
    const added = await holidays.importMany(tenant.id, plan.add);
    console.log(`\nLagret (saved): ${added} ferier lagt til. Planer som hopper over ferier, sender ikke pulser på disse dagene.`);
    return 0;
  } finally {
    await db.close();
  }
}

runCli(main, {
  whenLocked: 'Boten kjører trolig mot den samme innebygde databasen. Stopp boten mens du legger inn ferier, eller kjør bot og skript mot PostgreSQL (DATABASE_URL=postgresql://…). (Stop the bot while importing, or use PostgreSQL.)',
  whenFailed: nothingWrittenOnFailure,
});
