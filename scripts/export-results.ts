/**
 * npm run export -- --pulse <id> [--pulse <id> …] [--group role|level|all] [--out fil.csv]
 *
 * Writes the anonymous aggregates of one or more closed pulses (one round of
 * the same template) as CSV for Norwegian Excel — the same file as the bot's
 * `eksport` link: semicolons, UTF-8 BOM, decimal comma, and hidden groups and
 * questions as «for få svar» without numbers. The group size k is the
 * pulse's tenant's. Without --out the CSV goes to stdout. Audited as
 * `results.exported` (via: cli).
 *
 * Exit codes: 0 ok, 1 not found or other errors, 2 usage.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { closedPulsesByIds } from '../src/db/export-repository.ts';
import { openDatabase } from '../src/db/database.ts';
import { createDeps } from '../src/deps.ts';
import { createLogger } from '../src/logger.ts';
import { resultsCsvFor, type ExportBreakdown } from '../src/services/results-export.ts';

const USAGE = `Bruk (usage): npm run export -- --pulse <id> [--pulse <id> …] [--group role|level|all] [--out fil.csv]

  --pulse <id>     stengt puls (closed pulse); gjenta for flere skoler i samme runde (same template)
  --group <g>      role (standard: alle + per ansattgruppe), level (alle + per skolenivå) eller all (bare alle)
  --out <fil>      skriv til fil (uten: til stdout)`;

const GROUPS: Record<string, ExportBreakdown> = { role: 'staffRole', level: 'schoolLevel', all: 'none' };

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { pulse: { type: 'string', multiple: true }, group: { type: 'string', default: 'role' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const pulseIds = args.values.pulse ?? [];
  const breakdown = GROUPS[args.values.group ?? 'role'];
  if (pulseIds.length === 0 || !breakdown) {
    console.error(`${pulseIds.length === 0 ? 'Oppgi minst én --pulse <id>.' : `Ukjent --group «${args.values.group}».`}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger('silent');
  const db = await openDatabase(config.database, { log: (msg) => console.error(msg) });
  try {
    const deps = createDeps(config, db, logger);
    const pulses = await closedPulsesByIds(db.sql, pulseIds);
    const missing = pulseIds.filter((id) => !pulses.some((p) => p.id === id));
    if (missing.length > 0) {
      console.error(`Fant ingen stengt puls med id ${missing.join(', ')} (no closed pulse).`);
      return 1;
    }
    if (new Set(pulses.map((p) => p.tenantId)).size > 1 || new Set(pulses.map((p) => p.templateId)).size > 1) {
      console.error('Pulsene må høre til samme tenant og samme mal (same tenant and template).');
      return 1;
    }
    const tenant = await deps.directory.tenantById(pulses[0]!.tenantId);
    const k = tenant?.minGroupSize ?? config.minGroupSize;
    const csv = await resultsCsvFor(deps, pulses, k, breakdown);
    await deps.audit.record({ tenantId: pulses[0]!.tenantId, actorId: null, action: 'results.exported', target: pulses[0]!.id, details: { pulses: pulses.length, group: breakdown, via: 'cli' } });
    if (args.values.out) {
      fs.writeFileSync(args.values.out, csv, 'utf8');
      console.error(`Skrev (wrote) ${args.values.out} (k = ${k}).`);
    } else {
      process.stdout.write(csv);
    }
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : `Feil (error): ${(err as Error).message}`);
    process.exitCode = 1;
  },
);
