/**
 * Building and checking the Teams app package (manifest.json + icons +
 * localisation files in one zip). Used by scripts/package-app.ts and the tests.
 *
 * Schema validation uses @microsoft/app-manifest, which ships the official
 * JSON schemas and resolves https://developer.microsoft.com/json-schemas/teams/…
 * to its bundled copy, i.e. offline. Any other `$schema` address would make it
 * fetch over the network, so we insist on the exact official addresses first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { decodePng, readPngHeader } from './png.ts';

export const MANIFEST_SCHEMA_URL = 'https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json';
export const LOCALIZATION_SCHEMA_URL = 'https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.Localization.schema.json';

/** Dev values used by `--local` (sideloading against localhost / Agents Playground). */
export const LOCAL_DEFAULTS: Readonly<Record<PackageVariable, string>> = {
  TEAMS_APP_ID: '00000000-0000-0000-0000-000000000001',
  BOT_ID: '00000000-0000-0000-0000-000000000002',
  BOT_DOMAIN: 'localhost',
  APP_BASE_URL: 'http://localhost:3978',
};

export type PackageVariable = 'TEAMS_APP_ID' | 'BOT_ID' | 'BOT_DOMAIN' | 'APP_BASE_URL';

const VARIABLE_HELP: Record<PackageVariable, string> = {
  TEAMS_APP_ID: 'Teams-appens ID (en GUID, f.eks. fra Teams Developer Portal)',
  BOT_ID: 'botens Microsoft App ID (en GUID; MICROSOFT_APP_ID brukes hvis BOT_ID ikke er satt)',
  BOT_DOMAIN: 'domenet boten svarer på, uten https:// (f.eks. kompetansepuls.example.no)',
  APP_BASE_URL: 'https-adressen til appens nettsider, f.eks. https://kompetansepuls.example.no (brukes til /personvern og /vilkar)',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

export const ICON_SIZES = { color: 192, outline: 32 } as const;
export const MAX_COMMAND_TITLE = 32;
export const MAX_COMMAND_DESCRIPTION = 128;

/** Raised for missing/invalid environment variables; `variables` names each one. */
export class PackageConfigError extends Error {
  constructor(readonly variables: string[], readonly problems: string[]) {
    super(
      `Kan ikke bygge app-pakken (missing or invalid environment variables: ${variables.join(', ')}):\n`
      + `${problems.map((p) => `  - ${p}`).join('\n')}\n`
      + 'Sett variablene, eller kjør `npm run package -- --local` for en lokal utviklingspakke.',
    );
    this.name = 'PackageConfigError';
  }
}

/** Raised when the filled manifest or package fails validation; `errors` lists every problem. */
export class PackageValidationError extends Error {
  constructor(readonly errors: string[]) {
    super(`App-pakken er ugyldig (${errors.length} feil):\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'PackageValidationError';
  }
}

/**
 * Resolves the placeholder values from the environment. Without `local`, every
 * variable must be set (BOT_ID may come from MICROSOFT_APP_ID); with `local`,
 * missing ones get {@link LOCAL_DEFAULTS}. Throws {@link PackageConfigError}.
 */
export function resolvePackageVariables(
  env: Record<string, string | undefined>,
  options: { local?: boolean } = {},
): Record<PackageVariable, string> {
  const local = options.local ?? false;
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const raw: Record<PackageVariable, string | undefined> = {
    TEAMS_APP_ID: get('TEAMS_APP_ID'),
    BOT_ID: get('BOT_ID') ?? get('MICROSOFT_APP_ID'),
    BOT_DOMAIN: get('BOT_DOMAIN'),
    APP_BASE_URL: get('APP_BASE_URL'),
  };
  const variables: string[] = [];
  const problems: string[] = [];
  const values = {} as Record<PackageVariable, string>;
  for (const name of Object.keys(raw) as PackageVariable[]) {
    const value = raw[name] ?? (local ? LOCAL_DEFAULTS[name] : undefined);
    if (value === undefined) {
      variables.push(name);
      problems.push(`${name}: mangler – ${VARIABLE_HELP[name]}`);
      continue;
    }
    const problem = checkVariable(name, value, local);
    if (problem) {
      variables.push(name);
      problems.push(`${name}: ${problem} (fikk «${value}») – ${VARIABLE_HELP[name]}`);
      continue;
    }
    values[name] = name === 'APP_BASE_URL' ? value.replace(/\/+$/, '') : value;
  }
  if (problems.length > 0) throw new PackageConfigError(variables, problems);
  return values;
}

function checkVariable(name: PackageVariable, value: string, local: boolean): string | undefined {
  switch (name) {
    case 'TEAMS_APP_ID':
    case 'BOT_ID':
      return GUID.test(value) ? undefined : 'må være en GUID';
    case 'BOT_DOMAIN':
      return DOMAIN.test(value) ? undefined : 'må være et domenenavn uten protokoll og sti';
    case 'APP_BASE_URL': {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return 'må være en gyldig URL';
      }
      if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) return 'må starte med https://';
      if (url.search || url.hash) return 'kan ikke ha ?spørring eller #fragment';
      return undefined;
    }
  }
}

/** Every `${{NAME}}` placeholder in the string values of `value` (sorted, unique). */
export function findPlaceholders(value: unknown): string[] {
  const found = new Set<string>();
  walkStrings(value, (s) => {
    for (const m of s.matchAll(PLACEHOLDER)) found.add(m[1]!);
    return s;
  });
  return [...found].sort();
}

/**
 * Returns a deep copy of `value` with every `${{NAME}}` in string values
 * replaced from `variables` (values are substituted after JSON parsing, so
 * they cannot break the JSON). Throws {@link PackageConfigError} for unknown names.
 */
export function fillPlaceholders<T>(value: T, variables: Readonly<Record<string, string>>): T {
  const unknown = findPlaceholders(value).filter((name) => !(name in variables));
  if (unknown.length > 0) {
    throw new PackageConfigError(unknown, unknown.map((name) => `${name}: plassholderen \${{${name}}} har ingen verdi`));
  }
  return walkStrings(value, (s) => s.replace(PLACEHOLDER, (_m, name: string) => variables[name]!)) as T;
}

function walkStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => walkStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walkStrings(v, fn)]));
  }
  return value;
}

/** The parts of the manifest we inspect ourselves; the schema checks the rest. */
export type ManifestJson = {
  $schema?: string;
  manifestVersion?: string;
  version?: string;
  id?: string;
  icons?: { color?: string; outline?: string };
  localizationInfo?: { defaultLanguageTag?: string; additionalLanguages?: { languageTag: string; file: string }[] };
  bots?: { botId?: string; commandLists?: { scopes?: string[]; commands?: { title?: string; description?: string }[] }[] }[];
  validDomains?: string[];
  [key: string]: unknown;
};

export type LocalizationJson = Record<string, unknown>;

/**
 * Validates against the official v1.19 schema (offline, bundled in
 * @microsoft/app-manifest). Returns error strings; empty means valid.
 *
 * Note: we call AppManifestUtils.validateAgainstSchema on the parsed JSON
 * rather than readAndValidateTeamsManifest: the latter first runs the
 * generated type converter, which *throws* a cryptic type error for some
 * schema violations (e.g. a bot without botId) instead of reporting them.
 */
export async function validateManifestSchema(manifest: ManifestJson): Promise<string[]> {
  if (manifest.$schema !== MANIFEST_SCHEMA_URL) {
    return [`$schema må være ${MANIFEST_SCHEMA_URL} (fikk ${String(manifest.$schema)})`];
  }
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as never);
  return errors.map((e) => `manifest.json: ${e}`);
}

export async function validateLocalizationSchema(file: string, localization: LocalizationJson): Promise<string[]> {
  if (localization.$schema !== LOCALIZATION_SCHEMA_URL) {
    return [`${file}: $schema må være ${LOCALIZATION_SCHEMA_URL} (fikk ${String(localization.$schema)})`];
  }
  const errors = await AppManifestUtils.validateAgainstSchema(localization as never, await localizationSchema());
  return errors.map((e) => `${file}: ${e}`);
}

let localizationSchemaPromise: Promise<never> | undefined;

/**
 * The bundled v1.19 localisation schema, repaired: two of its
 * patternProperties (activities.activityTypes[…]) contain an unescaped `]`,
 * which AJV's unicode regexps reject ("Lone quantifier brackets"), so
 * validateAgainstSchema throws on *every* localisation file. We escape the
 * bracket; a pattern that still does not compile is dropped (it only matters
 * for keys this app does not use).
 */
function localizationSchema(): Promise<never> {
  localizationSchemaPromise ??= AppManifestUtils.fetchSchema(LOCALIZATION_SCHEMA_URL).then((loaded) => {
    const schema = structuredClone(loaded) as { patternProperties?: Record<string, unknown> };
    const patterns = schema.patternProperties ?? {};
    schema.patternProperties = {};
    for (const [pattern, rule] of Object.entries(patterns)) {
      const repaired = compilesAsUnicode(pattern) ? pattern : pattern.replace(/\\b\]/g, '\\b\\]');
      if (compilesAsUnicode(repaired)) schema.patternProperties[repaired] = rule;
    }
    return schema as never;
  });
  return localizationSchemaPromise;
}

function compilesAsUnicode(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/** Our own rules on top of the schema: versions, ids, command lengths. */
export function checkManifestRules(manifest: ManifestJson): string[] {
  const errors: string[] = [];
  if (!manifest.version || !SEMVER.test(manifest.version)) {
    // The v1.19 schema only says "string, max 256"; Teams requires x.y.z.
    errors.push(`version må være på formen x.y.z (fikk ${String(manifest.version)})`);
  }
  if (!manifest.id || !GUID.test(manifest.id)) errors.push(`id må være en GUID (fikk ${String(manifest.id)})`);
  const bot = manifest.bots?.[0];
  if (!bot?.botId || !GUID.test(bot.botId)) errors.push(`bots[0].botId må være en GUID (fikk ${String(bot?.botId)})`);
  for (const domain of manifest.validDomains ?? []) {
    if (!DOMAIN.test(domain)) errors.push(`validDomains: «${domain}» må være et domenenavn uten protokoll og sti`);
  }
  for (const [path, command] of listCommands(manifest)) {
    errors.push(...checkCommandText(path, command.title, command.description));
  }
  return errors;
}

function checkCommandText(path: string, title: unknown, description: unknown): string[] {
  const errors: string[] = [];
  if (typeof title !== 'string' || title.trim() === '') errors.push(`${path}.title mangler`);
  else if (title.length > MAX_COMMAND_TITLE) errors.push(`${path}.title «${title}» er ${title.length} tegn (maks ${MAX_COMMAND_TITLE})`);
  if (typeof description !== 'string' || description.trim() === '') errors.push(`${path}.description mangler`);
  else if (description.length > MAX_COMMAND_DESCRIPTION) {
    errors.push(`${path}.description er ${description.length} tegn (maks ${MAX_COMMAND_DESCRIPTION})`);
  }
  return errors;
}

/** `[ "bots[0].commandLists[i].commands[j]", command ]` for every bot command. */
export function listCommands(manifest: ManifestJson): [string, { title?: string; description?: string }][] {
  const out: [string, { title?: string; description?: string }][] = [];
  (manifest.bots?.[0]?.commandLists ?? []).forEach((list, i) => {
    (list.commands ?? []).forEach((command, j) => out.push([`bots[0].commandLists[${i}].commands[${j}]`, command]));
  });
  return out;
}

/**
 * Each localisation file must translate the name, descriptions and every
 * command's title and description, and must not have command keys that point
 * at commands the manifest does not have.
 */
export function checkLocalizationCoverage(manifest: ManifestJson, localizations: Readonly<Record<string, LocalizationJson>>): string[] {
  const errors: string[] = [];
  const declared = manifest.localizationInfo?.additionalLanguages ?? [];
  for (const { file } of declared) {
    if (!(file in localizations)) errors.push(`localizationInfo viser til ${file}, som mangler`);
  }
  const commands = listCommands(manifest);
  const expected = new Set(['name.short', 'name.full', 'description.short', 'description.full']);
  for (const [path] of commands) {
    expected.add(`${path}.title`);
    expected.add(`${path}.description`);
  }
  for (const [file, localization] of Object.entries(localizations)) {
    if (!declared.some((d) => d.file === file)) errors.push(`${file} er ikke oppført i localizationInfo.additionalLanguages`);
    for (const key of expected) {
      const value = localization[key];
      if (typeof value !== 'string' || value.trim() === '') errors.push(`${file}: mangler oversettelse for «${key}»`);
    }
    for (const key of Object.keys(localization)) {
      if (key.startsWith('bots[') && !expected.has(key)) errors.push(`${file}: «${key}» finnes ikke i manifestet`);
    }
    for (const [path] of commands) {
      errors.push(...checkCommandText(`${file}: ${path}`, localization[`${path}.title`], localization[`${path}.description`])
        .filter((e) => !e.endsWith('mangler')));
    }
  }
  return errors;
}

/** Icon files exist, have the Teams sizes, and the outline is only white + transparent. */
export function checkIcons(manifest: ManifestJson, files: Readonly<Record<string, Uint8Array | undefined>>): string[] {
  const errors: string[] = [];
  for (const kind of ['color', 'outline'] as const) {
    const name = manifest.icons?.[kind];
    const size = ICON_SIZES[kind];
    if (!name) {
      errors.push(`icons.${kind} mangler`);
      continue;
    }
    const png = files[name];
    if (!png) {
      errors.push(`ikonfilen ${name} (icons.${kind}) finnes ikke`);
      continue;
    }
    try {
      const { width, height } = readPngHeader(png);
      if (width !== size || height !== size) errors.push(`${name} er ${width}×${height}, må være ${size}×${size}`);
    } catch (e) {
      errors.push(`${name}: ${(e as Error).message}`);
      continue;
    }
    if (kind === 'outline') errors.push(...checkOutlinePixels(name, png));
  }
  return errors;
}

/** Teams: the outline icon may only contain white (any alpha) and fully transparent pixels. */
export function checkOutlinePixels(name: string, png: Uint8Array): string[] {
  let decoded;
  try {
    decoded = decodePng(png);
  } catch (e) {
    return [`${name}: kan ikke kontrollere pikslene: ${(e as Error).message}`];
  }
  const { rgba, width } = decoded;
  let bad = 0;
  let first = '';
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = rgba[i + 3]!;
    if (alpha === 0) continue;
    if (rgba[i] !== 255 || rgba[i + 1] !== 255 || rgba[i + 2] !== 255) {
      if (bad++ === 0) {
        const p = i / 4;
        first = ` (første i x=${p % width}, y=${Math.floor(p / width)}: rgba(${rgba[i]}, ${rgba[i + 1]}, ${rgba[i + 2]}, ${alpha}))`;
      }
    }
  }
  return bad === 0 ? [] : [`${name}: ${bad} piksler er verken hvite eller gjennomsiktige${first}`];
}

export type AppPackageSources = {
  manifest: ManifestJson;
  /** Localisation files by file name, as referenced from localizationInfo. */
  localizations: Record<string, LocalizationJson>;
  /** Icon files by file name, as referenced from icons. */
  icons: Record<string, Uint8Array>;
};

/** Reads manifest.json, the localisation files it lists and its icons from a folder (templates, unfilled). */
export function readAppPackageSources(manifestDir: string): AppPackageSources {
  const readJson = (file: string) => JSON.parse(readFileSync(join(manifestDir, file), 'utf8')) as unknown;
  const manifest = readJson('manifest.json') as ManifestJson;
  const localizations: Record<string, LocalizationJson> = {};
  for (const { file } of manifest.localizationInfo?.additionalLanguages ?? []) {
    if (existsSync(join(manifestDir, file))) localizations[file] = readJson(file) as LocalizationJson;
  }
  const icons: Record<string, Uint8Array> = {};
  for (const file of [manifest.icons?.color, manifest.icons?.outline]) {
    if (file && existsSync(join(manifestDir, file))) icons[file] = readFileSync(join(manifestDir, file));
  }
  return { manifest, localizations, icons };
}

/** Fills placeholders in the manifest and localisation files (icons untouched). */
export function fillAppPackageSources(sources: AppPackageSources, variables: Readonly<Record<string, string>>): AppPackageSources {
  return {
    manifest: fillPlaceholders(sources.manifest, variables),
    localizations: fillPlaceholders(sources.localizations, variables),
    icons: sources.icons,
  };
}

/** Every check: no leftover placeholders, schema (manifest + localisations), own rules, icons, coverage. */
export async function validateAppPackage(sources: AppPackageSources): Promise<string[]> {
  const errors: string[] = [];
  const leftovers = findPlaceholders([sources.manifest, sources.localizations]);
  if (leftovers.length > 0) errors.push(`plassholdere er ikke fylt ut: ${leftovers.map((n) => `\${{${n}}}`).join(', ')}`);
  errors.push(...(await validateManifestSchema(sources.manifest)));
  for (const [file, localization] of Object.entries(sources.localizations)) {
    errors.push(...(await validateLocalizationSchema(file, localization)));
  }
  errors.push(...checkManifestRules(sources.manifest));
  errors.push(...checkIcons(sources.manifest, sources.icons));
  errors.push(...checkLocalizationCoverage(sources.manifest, sources.localizations));
  return errors;
}

/** Fixed timestamp so the same inputs give a byte-identical zip. */
const ZIP_DATE = new Date(Date.UTC(2024, 0, 1));

/** The zip: manifest.json, the icons and the localisation files, all at the root. */
export async function buildAppPackageZip(sources: AppPackageSources): Promise<Buffer> {
  const zip = new JSZip();
  const add = (name: string, data: string | Uint8Array) => zip.file(name, data, { date: ZIP_DATE, createFolders: false });
  add('manifest.json', `${JSON.stringify(sources.manifest, null, 2)}\n`);
  for (const [file, data] of Object.entries(sources.icons)) add(file, data);
  for (const [file, localization] of Object.entries(sources.localizations)) add(file, `${JSON.stringify(localization, null, 2)}\n`);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/**
 * The whole pipeline: read templates from `manifestDir`, resolve variables from
 * `env`, fill, validate (throws {@link PackageValidationError}) and zip.
 */
export async function createAppPackage(options: {
  manifestDir: string;
  env: Record<string, string | undefined>;
  local?: boolean;
}): Promise<{ zip: Buffer; sources: AppPackageSources; variables: Record<PackageVariable, string> }> {
  const variables = resolvePackageVariables(options.env, { local: options.local });
  const sources = fillAppPackageSources(readAppPackageSources(options.manifestDir), variables);
  const errors = await validateAppPackage(sources);
  if (errors.length > 0) throw new PackageValidationError(errors);
  return { zip: await buildAppPackageZip(sources), sources, variables };
}
