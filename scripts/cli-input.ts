import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { ExitError } from './run-cli.ts';

// What the import scripts (import-roster.ts, holidays-add.ts) share: reading the file, naming the database, choosing the tenant.

/** The file as text: UTF-8, or Windows-1252 with a warning (Excel's plain «CSV»). */
export function readCsv(file: string): { text: string; warning: string | null } {
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

export function describeDatabase(db: Config['database']): string {
  if (db.kind === 'pglite') return `PGlite ${db.dataDir ?? '(minne / memory)'}`;
  const url = new URL(db.url);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

/** The tenant named by --tenant, or the only one; `id` is null when --tenant names one not in the database yet. */
export async function resolveTenant(db: Database, wanted: string | undefined): Promise<{ teamsTenantId: string; id: string | null }> {
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

/** `<file> [--apply] [--tenant <id>]`; null after printing the usage for --help. Bad arguments exit 2 with the usage. */
export function importArgs(argv: string[], usage: string): { file: string; apply: boolean; tenant: string | undefined } | null {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { apply: { type: 'boolean' }, tenant: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    throw new ExitError(`${(err as Error).message}\n\n${usage}`, 2);
  }
  if (args.values.help) {
    console.log(usage);
    return null;
  }
  if (args.positionals.length !== 1) throw new ExitError(`Oppgi nøyaktig én CSV-fil (exactly one file).\n\n${usage}`, 2);
  return { file: args.positionals[0]!, apply: args.values.apply === true, tenant: args.values.tenant };
}

/** What a failed import says: everything is written in one transaction, so nothing was. */
export function nothingWrittenOnFailure(message: string): string[] {
  return [`Importen feilet (import failed): ${message}`, 'Ingenting er lagret: alt skrives i én transaksjon (nothing was written).'];
}
