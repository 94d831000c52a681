import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../src/domain/commands.ts';
import {
  type AppPackageSources,
  checkIcons,
  checkLocalizationCoverage,
  checkManifestRules,
  checkOutlinePixels,
  createAppPackage,
  fillAppPackageSources,
  fillPlaceholders,
  findPlaceholders,
  LOCAL_DEFAULTS,
  type ManifestJson,
  PackageConfigError,
  PackageValidationError,
  readAppPackageSources,
  resolvePackageVariables,
  validateAppPackage,
  validateLocalizationSchema,
  validateManifestSchema,
} from '../../src/manifest/app-package.ts';
import { decodePng, encodePng, readPngHeader } from '../../src/manifest/png.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifestDir = join(root, 'manifest');

const PROD_ENV = {
  TEAMS_APP_ID: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  MICROSOFT_APP_ID: '9a8b7c6d-1234-4e5f-8a9b-0c1d2e3f4a5b',
  BOT_DOMAIN: 'kompetansepuls.example.no',
  APP_BASE_URL: 'https://kompetansepuls.example.no/',
};

let templates: AppPackageSources;
let filled: AppPackageSources;
let tmp: string;

beforeAll(() => {
  // Validation must never touch the network: the schemas are bundled.
  vi.stubGlobal('fetch', () => {
    throw new Error('network access during manifest validation');
  });
  templates = readAppPackageSources(manifestDir);
  filled = fillAppPackageSources(templates, resolvePackageVariables(PROD_ENV));
  tmp = mkdtempSync(join(tmpdir(), 'manifest-test-'));
});

afterAll(() => {
  vi.unstubAllGlobals();
  rmSync(tmp, { recursive: true, force: true });
});

const clone = <T>(value: T): T => structuredClone(value);

describe('schema validation (offline, @microsoft/app-manifest)', () => {
  it('(sanity) the network is really blocked in these tests', async () => {
    await expect(AppManifestUtils.fetchSchema('https://example.com/schema.json')).rejects.toThrow(/network access/);
  });

  it('the filled manifest and localisation files pass', async () => {
    expect(await validateManifestSchema(filled.manifest)).toEqual([]);
    for (const [file, localization] of Object.entries(filled.localizations)) {
      expect(await validateLocalizationSchema(file, localization)).toEqual([]);
    }
    expect(await validateAppPackage(filled)).toEqual([]);
  });

  it('the library’s own file-based API agrees for the filled manifest', async () => {
    const path = join(tmp, 'manifest.json');
    writeFileSync(path, JSON.stringify(filled.manifest));
    const [, errors] = await AppManifestUtils.readAndValidateTeamsManifest(path);
    expect(errors).toEqual([]);
  });

  it('rejects a bot without botId', async () => {
    const manifest = clone(filled.manifest);
    delete manifest.bots![0]!.botId;
    const errors = await validateManifestSchema(manifest);
    expect(errors.join('\n')).toMatch(/botId/);
    await expect(validateAppPackage({ ...filled, manifest })).resolves.not.toEqual([]);
  });

  it('rejects a wrong manifestVersion and a non-GUID id', async () => {
    const errors = await validateManifestSchema({ ...clone(filled.manifest), manifestVersion: '1.99', id: 'not-a-guid' });
    expect(errors.join('\n')).toMatch(/manifestVersion/);
    expect(errors.join('\n')).toMatch(/\/id/);
  });

  it('rejects a command title over 32 characters (schema and own rule)', async () => {
    const manifest = clone(filled.manifest);
    manifest.bots![0]!.commandLists![0]!.commands![0]!.title = 'x'.repeat(33);
    expect((await validateManifestSchema(manifest)).join('\n')).toMatch(/commands\/0\/title/);
    expect(checkManifestRules(manifest).join('\n')).toMatch(/maks 32/);
  });

  it('catches a non-semver version, which the v1.19 schema itself allows', async () => {
    const manifest = { ...clone(filled.manifest), version: 'banana' };
    expect(await validateManifestSchema(manifest)).toEqual([]);
    expect(checkManifestRules(manifest).join('\n')).toMatch(/version/);
  });

  it('refuses a non-official $schema instead of fetching it', async () => {
    const errors = await validateManifestSchema({ ...clone(filled.manifest), $schema: 'https://example.com/schema.json' });
    expect(errors.join('\n')).toMatch(/\$schema/);
  });

  it('documents why we do not use readAndValidateTeamsManifest: it throws on some schema errors', async () => {
    const manifest = clone(filled.manifest);
    delete manifest.bots![0]!.botId;
    const path = join(tmp, 'broken.json');
    writeFileSync(path, JSON.stringify(manifest));
    await expect(AppManifestUtils.readAndValidateTeamsManifest(path)).rejects.toThrow(/bots/);
  });

  it('validates localisation files against the repaired localisation schema', async () => {
    const nn = clone(filled.localizations['nn-no.json']!);
    expect(await validateLocalizationSchema('nn-no.json', nn)).toEqual([]);
    nn['bots[0].commandLists[0].commands[0].title'] = 'x'.repeat(33);
    nn['name.typo'] = 'Kompetansepuls';
    const errors = (await validateLocalizationSchema('nn-no.json', nn)).join('\n');
    expect(errors).toMatch(/commands\[0\]\.title/);
    expect(errors).toMatch(/additional properties/);
  });
});

describe('own checks', () => {
  it('every localisation file translates every command, and nothing else', () => {
    expect(checkLocalizationCoverage(filled.manifest, filled.localizations)).toEqual([]);
    const localizations = clone(filled.localizations);
    delete localizations['en-us.json']!['bots[0].commandLists[1].commands[0].description'];
    localizations['en-us.json']!['bots[0].commandLists[0].commands[10].title'] = 'ghost'; // the menu holds at most 10 (0–9)
    const errors = checkLocalizationCoverage(filled.manifest, localizations).join('\n');
    expect(errors).toMatch(/en-us\.json: mangler oversettelse for «bots\[0\]\.commandLists\[1\]\.commands\[0\]\.description»/);
    expect(errors).toMatch(/commands\[10\]\.title» finnes ikke/);
  });

  it('lists exactly the commands the bot really answers (personal), and a subset of them for team/groupChat', () => {
    const lists = filled.manifest.bots![0]!.commandLists!;
    const personal = lists.find((l) => l.scopes!.includes('personal'))!;
    const shared = lists.find((l) => l.scopes!.includes('team'))!;
    expect(personal.commands!.map((c) => c.title)).toEqual(COMMANDS.filter((c) => c.menu !== false).map((c) => c.command));
    expect(shared.scopes).toEqual(['team', 'groupChat']);
    for (const c of shared.commands!) expect(COMMANDS.map((x) => x.command)).toContain(c.title);
  });

  it('the descriptions stay within the limits and mention the group-of-5 rule', () => {
    const description = filled.manifest.description as { short: string; full: string };
    expect(description.short.length).toBeLessThanOrEqual(80);
    expect(description.full.length).toBeLessThanOrEqual(4000);
    expect(description.full).toMatch(/minst 5/);
    expect(description.full).toMatch(/aldri enkeltsvar/);
  });
});

describe('icons', () => {
  it('color.png is 192×192 and outline.png is 32×32', () => {
    expect(readPngHeader(readFileSync(join(manifestDir, 'color.png')))).toMatchObject({ width: 192, height: 192 });
    expect(readPngHeader(readFileSync(join(manifestDir, 'outline.png')))).toMatchObject({ width: 32, height: 32 });
    expect(checkIcons(filled.manifest, filled.icons)).toEqual([]);
  });

  it('the outline icon is only white and transparent, and has a visible mark', () => {
    const png = readFileSync(join(manifestDir, 'outline.png'));
    expect(checkOutlinePixels('outline.png', png)).toEqual([]);
    const { rgba } = decodePng(png);
    const opaque = rgba.filter((_v, i) => i % 4 === 3 && rgba[i]! > 128).length;
    expect(opaque).toBeGreaterThan(40);
  });

  it('flags wrong sizes, missing files and coloured outline pixels', () => {
    const rgba = new Uint8Array(32 * 32 * 4).fill(255);
    rgba.set([0, 0, 0, 255], (3 * 32 + 5) * 4);
    const blackDot = encodePng(32, 32, rgba);
    expect(checkOutlinePixels('outline.png', blackDot)[0]).toMatch(/1 piksler.*x=5, y=3/);
    const errors = checkIcons(filled.manifest, { 'color.png': encodePng(16, 16, new Uint8Array(16 * 16 * 4)) }).join('\n');
    expect(errors).toMatch(/color\.png er 16×16, må være 192×192/);
    expect(errors).toMatch(/outline\.png \(icons\.outline\) finnes ikke/);
  });

  it('decodePng reads back what encodePng writes', () => {
    const rgba = Uint8Array.from({ length: 7 * 5 * 4 }, (_v, i) => (i * 37) & 0xff);
    const decoded = decodePng(encodePng(7, 5, rgba));
    expect(decoded).toMatchObject({ width: 7, height: 5, bitDepth: 8, colorType: 6 });
    expect(Buffer.from(decoded.rgba).equals(Buffer.from(rgba))).toBe(true);
  });
});

describe('placeholders and environment', () => {
  it('the templates use exactly the four documented placeholders', () => {
    expect(findPlaceholders([templates.manifest, templates.localizations])).toEqual(['APP_BASE_URL', 'BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID']);
  });

  it('fills string values safely and rejects unknown placeholders', () => {
    expect(fillPlaceholders({ a: ['x ${{ A }} y'], b: 1 }, { A: 'he said "hi"' })).toEqual({ a: ['x he said "hi" y'], b: 1 });
    expect(() => fillPlaceholders({ a: '${{NOPE}}' }, {})).toThrow(/NOPE/);
  });

  it('missing TEAMS_APP_ID without --local gives an error naming the variable', () => {
    const { TEAMS_APP_ID: _omit, ...env } = PROD_ENV;
    let error: unknown;
    try {
      resolvePackageVariables(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PackageConfigError);
    expect((error as PackageConfigError).variables).toEqual(['TEAMS_APP_ID']);
    expect((error as Error).message).toMatch(/TEAMS_APP_ID: mangler/);
  });

  it('rejects non-GUID ids, a domain with scheme and a non-https base URL', () => {
    expect(() => resolvePackageVariables({ ...PROD_ENV, TEAMS_APP_ID: 'abc', BOT_DOMAIN: 'https://x.no', APP_BASE_URL: 'http://x.no' }))
      .toThrow(expect.objectContaining({ variables: ['TEAMS_APP_ID', 'BOT_DOMAIN', 'APP_BASE_URL'] }) as Error);
  });

  it('BOT_ID falls back to MICROSOFT_APP_ID; --local fills dev defaults but env wins', () => {
    expect(resolvePackageVariables(PROD_ENV).BOT_ID).toBe(PROD_ENV.MICROSOFT_APP_ID);
    expect(resolvePackageVariables({ ...PROD_ENV, BOT_ID: LOCAL_DEFAULTS.BOT_ID }).BOT_ID).toBe(LOCAL_DEFAULTS.BOT_ID);
    expect(resolvePackageVariables({}, { local: true })).toEqual(LOCAL_DEFAULTS);
    expect(resolvePackageVariables({ BOT_DOMAIN: 'abc.devtunnels.ms' }, { local: true }).BOT_DOMAIN).toBe('abc.devtunnels.ms');
    expect(resolvePackageVariables(PROD_ENV).APP_BASE_URL).toBe('https://kompetansepuls.example.no');
  });
});

describe('app package zip', () => {
  it('contains exactly the expected files at the root, with no leftover placeholders', async () => {
    const { zip } = await createAppPackage({ manifestDir, env: PROD_ENV });
    const read = await JSZip.loadAsync(zip);
    expect(Object.keys(read.files).sort()).toEqual(['color.png', 'en-us.json', 'manifest.json', 'nn-no.json', 'outline.png']);
    for (const name of ['manifest.json', 'nn-no.json', 'en-us.json']) {
      expect(await read.file(name)!.async('string')).not.toContain('${{');
    }
    const manifest = JSON.parse(await read.file('manifest.json')!.async('string')) as ManifestJson;
    expect(manifest.id).toBe(PROD_ENV.TEAMS_APP_ID);
    expect(manifest.bots![0]!.botId).toBe(PROD_ENV.MICROSOFT_APP_ID);
    expect(manifest.validDomains).toEqual([PROD_ENV.BOT_DOMAIN]);
    expect((manifest.developer as { privacyUrl: string }).privacyUrl).toBe('https://kompetansepuls.example.no/personvern');
    expect(Buffer.from(await read.file('outline.png')!.async('uint8array')).equals(readFileSync(join(manifestDir, 'outline.png')))).toBe(true);
  });

  it('is byte-identical for the same inputs', async () => {
    const a = await createAppPackage({ manifestDir, env: {}, local: true });
    const b = await createAppPackage({ manifestDir, env: {}, local: true });
    expect(a.zip.equals(b.zip)).toBe(true);
  });

  it('refuses to build an invalid package', async () => {
    const dir = mkdtempSync(join(tmp, 'bad-'));
    for (const file of ['manifest.json', 'nn-no.json', 'en-us.json', 'color.png']) {
      writeFileSync(join(dir, file), readFileSync(join(manifestDir, file)));
    }
    await expect(createAppPackage({ manifestDir: dir, env: {}, local: true })).rejects.toThrow(PackageValidationError);
    await expect(createAppPackage({ manifestDir: dir, env: {}, local: true })).rejects.toThrow(/outline\.png/);
  });

  it('npm run package without TEAMS_APP_ID fails with a clear message and writes nothing', async () => {
    const out = join(tmp, 'cli', 'appPackage.zip');
    const env = { ...process.env, ...PROD_ENV };
    delete (env as Record<string, string | undefined>).TEAMS_APP_ID;
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/package-app.ts', '--out', out], { cwd: root, env });
    const error = (await run.then(() => undefined, (e: unknown) => e)) as { code: number; stderr: string } | undefined;
    expect(error?.code).toBe(2);
    expect(error?.stderr).toMatch(/TEAMS_APP_ID: mangler/);
    expect(error?.stderr).not.toMatch(/BOT_ID/);
    expect(existsSync(out)).toBe(false);
  });
});
