/**
 * Builds the Teams app package: `npm run package` → build/appPackage.zip.
 *
 * Fills ${{TEAMS_APP_ID}}, ${{BOT_ID}}, ${{BOT_DOMAIN}} and ${{APP_BASE_URL}}
 * in manifest/*.json from environment variables (BOT_ID falls back to
 * MICROSOFT_APP_ID), validates against the official schema (offline) and our
 * own rules, and zips manifest.json, icons and localisation files at the root.
 *
 *   npm run package                       # production: all variables required
 *   npm run package -- --local            # dev GUIDs, localhost (env still wins)
 *   npm run package -- --out some/dir/app.zip
 *   npx tsx --env-file=.env scripts/package-app.ts   # read variables from .env
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createAppPackage, PackageConfigError, PackageValidationError } from '../src/manifest/app-package.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      local: { type: 'boolean', default: false },
      out: { type: 'string', default: resolve(root, 'build/appPackage.zip') },
      'manifest-dir': { type: 'string', default: resolve(root, 'manifest') },
    },
  });
  try {
    const { zip, sources, variables } = await createAppPackage({
      manifestDir: resolve(values['manifest-dir']),
      env: process.env,
      local: values.local,
    });
    const out = resolve(values.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
    const files = ['manifest.json', ...Object.keys(sources.icons), ...Object.keys(sources.localizations)];
    const shown = relative(process.cwd(), out);
    console.log(`Skrev ${shown && !shown.startsWith('..') ? shown : out} (${zip.length} byte${values.local ? ', lokal utviklingspakke' : ''})`);
    console.log(`  filer: ${files.join(', ')}`);
    console.log(`  TEAMS_APP_ID=${variables.TEAMS_APP_ID} BOT_ID=${variables.BOT_ID} BOT_DOMAIN=${variables.BOT_DOMAIN} APP_BASE_URL=${variables.APP_BASE_URL}`);
    return 0;
  } catch (e) {
    if (e instanceof PackageConfigError || e instanceof PackageValidationError) {
      console.error(e.message);
      return e instanceof PackageConfigError ? 2 : 1;
    }
    throw e;
  }
}

process.exitCode = await main();
