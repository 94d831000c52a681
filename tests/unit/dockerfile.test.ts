/**
 * The production image (Dockerfile) cannot be built on these machines (no
 * Docker engine), so this test reads it and checks what matters: multi-stage,
 * production dependencies only, a non-root user, a health check on /healthz,
 * signals reaching Node, and every file the entry point reads at run time.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { MIGRATIONS_DIR } from '../../src/db/database.ts';
import { CARDS_DIR } from '../../src/views/render-card.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCKERFILE = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const DOCKERIGNORE = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8');

type Instruction = { keyword: string; args: string };
type Stage = { image: string; name: string | null; instructions: Instruction[] };
/** A COPY/ADD: `dest` relative to WORKDIR; `intoDir` when sources go inside dest (several sources, or dest ends in /). */
type Copy = { from: string | null; sources: string[]; dest: string; intoDir: boolean };

/** Instructions per stage; continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    pending += `${line.replace(/\\$/, '').trim()} `;
    if (line.endsWith('\\')) continue;
    const [, keyword = '', args = ''] = pending.trim().match(/^(\S+)\s*(.*)$/s) ?? [];
    pending = '';
    const instruction = { keyword: keyword.toUpperCase(), args: args.trim() };
    if (instruction.keyword === 'FROM') {
      const m = instruction.args.match(/^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i);
      stages.push({ image: m?.[1] ?? '', name: m?.[2] ?? null, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** Exec form (JSON array) → its words; shell form → whitespace-split words. */
function words(args: string): string[] {
  if (args.startsWith('[')) {
    try {
      return (JSON.parse(args) as unknown[]).map(String);
    } catch {
      return [args];
    }
  }
  return args.split(/\s+/).filter(Boolean);
}

function copiesOf(stage: Stage): Copy[] {
  let workdir = '/';
  const copies: Copy[] = [];
  for (const { keyword, args } of stage.instructions) {
    if (keyword === 'WORKDIR') workdir = path.posix.resolve(workdir, args);
    if (keyword !== 'COPY' && keyword !== 'ADD') continue;
    const parts = words(args);
    const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length) ?? null;
    const paths = parts.filter((p) => !p.startsWith('--'));
    const rawDest = paths.at(-1) ?? '';
    const sources = paths.slice(0, -1).map((s) => s.replace(/^\.\/|\/+$/g, ''));
    const dest = path.posix.relative(workdir, path.posix.resolve(workdir, rawDest)) || '.';
    copies.push({ from, sources, dest, intoDir: rawDest.endsWith('/') || rawDest === '.' || sources.length > 1 });
  }
  return copies;
}

const isUnder = (inner: string, outer: string) => outer === '.' || inner === outer || inner.startsWith(`${outer}/`);

/**
 * Whether a context path `p` ends up at the same path under WORKDIR. Docker
 * copies a directory's contents into dest, and a file to dest (or into dest
 * when dest is a directory).
 */
function landsInPlace(c: Copy, p: string): boolean {
  return c.sources.some((s) => {
    if (!isUnder(p, s)) return false;
    const isDir = existsSync(path.join(ROOT, s)) && statSync(path.join(ROOT, s)).isDirectory();
    const target = isDir ? path.posix.join(c.dest, path.posix.relative(s, p)) : c.intoDir ? path.posix.join(c.dest, path.posix.basename(s)) : c.dest;
    return path.posix.normalize(target) === p;
  });
}

/** Lines of .dockerignore that are exclusions (not comments, not `!` re-inclusions). */
const ignored = (dockerignore: string) =>
  dockerignore.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('!')).map((l) => l.replace(/^\/+|\/+$/g, ''));

/** tsx and everything it needs at run time on Linux, from the lockfile (esbuild; its platform binary lives in @esbuild/). */
function tsxRuntimePackages(): string[] {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; os?: string[] }> };
  const found = new Set<string>();
  const visit = (name: string) => {
    if (found.has(name)) return;
    found.add(name);
    const entry = lock.packages[`node_modules/${name}`];
    for (const dep of Object.keys(entry?.dependencies ?? {})) visit(dep);
    // Platform binaries for Linux (the image): one scope directory covers them all (only the matching one is installed).
    for (const dep of Object.keys(entry?.optionalDependencies ?? {})) {
      const os = lock.packages[`node_modules/${dep}`]?.os;
      if (!os || os.includes('linux')) found.add(dep.startsWith('@') ? dep.split('/')[0]! : dep);
    }
  };
  visit('tsx');
  return [...found].sort();
}

/** Paths (relative to the repository and to the image's WORKDIR) the running bot needs. */
const RUNTIME_PATHS = {
  /** From the build context. */
  context: [
    'package.json', // "type": "module"
    'tsconfig.json', // read by tsx
    'src',
    path.relative(ROOT, CARDS_DIR).split(path.sep).join('/'), // Adaptive Card templates
    path.relative(ROOT, MIGRATIONS_DIR).split(path.sep).join('/'), // applied at start-up
  ],
  /** Generated in the build stage. */
  built: ['src/generated/prisma'],
};

/** Everything wrong with the Dockerfile (empty when it is fine). */
function checkDockerfile(text: string, dockerignore = DOCKERIGNORE): string[] {
  const problems: string[] = [];
  const stages = parseDockerfile(text);
  if (stages.length < 2) return [`expected a multi-stage build (build + runtime), found ${stages.length} stage(s)`];
  for (const s of stages) {
    if (!/^node:24([.\d]*)?-(bookworm-|trixie-)?slim(@sha256:[0-9a-f]{64})?$/.test(s.image)) problems.push(`FROM ${s.image}: use the official node:24-slim image`);
  }
  const final = stages.at(-1)!;
  const builders = stages.slice(0, -1);
  const runs = (s: Stage) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
  const last = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword).at(-1);

  // Build stage: all dependencies, then the Prisma client.
  const builderNames = new Set(builders.flatMap((s, i) => [String(i), ...(s.name ? [s.name] : [])]));
  if (!builders.some((s) => runs(s).some((r) => /\bnpm ci\b/.test(r) && !/--omit[= ]dev/.test(r)))) problems.push('no build stage runs `npm ci` with dev dependencies');
  if (!builders.some((s) => runs(s).some((r) => /generate-prisma\.mjs|prisma generate|db:generate/.test(r) || (/\bnpm ci\b/.test(r) && !/--ignore-scripts/.test(r))))) {
    problems.push('no build stage generates the Prisma client (scripts/generate-prisma.mjs)');
  }

  // Runtime stage: production dependencies only.
  const installs = runs(final).filter((r) => /\bnpm (ci|install|i)\b/.test(r));
  if (installs.length === 0) problems.push('the final stage does not install production dependencies (`npm ci --omit=dev`)');
  for (const r of installs) if (!/--omit[= ]dev/.test(r)) problems.push(`final stage installs dev dependencies: RUN ${r}`);
  const copies = copiesOf(final);
  for (const c of copies) {
    if (c.from !== null && c.sources.some((s) => /(^|\/)node_modules$/.test(s))) problems.push(`final stage copies a whole node_modules from stage ${c.from} (dev dependencies)`);
  }
  const env = final.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
  if (!/\bNODE_ENV[= ]"?production\b/.test(env)) problems.push('final stage does not set NODE_ENV=production');

  // Files the entry point reads at run time.
  const excluded = ignored(dockerignore);
  for (const p of RUNTIME_PATHS.context) {
    if (!copies.some((c) => c.from === null && landsInPlace(c, p))) {
      problems.push(`final stage does not COPY ${p} (needed at run time)`);
    }
    const hit = excluded.find((e) => isUnder(p, e));
    if (hit) problems.push(`.dockerignore excludes ${p} (pattern «${hit}»)`);
  }
  for (const p of RUNTIME_PATHS.built) {
    if (!copies.some((c) => c.from !== null && builderNames.has(c.from) && isUnder(p, c.dest))) problems.push(`final stage does not COPY --from the build stage ${p}`);
  }
  for (const c of copies) {
    for (const s of c.from === null ? c.sources : []) if (!existsSync(path.join(ROOT, s))) problems.push(`COPY source ${s} does not exist`);
  }

  // Non-root user, health check, port, entry point.
  const user = last('USER');
  if (!user) problems.push('final stage has no USER: it would run as root');
  else if (/^(root|0)(:|$)/.test(user.args)) problems.push(`final stage runs as ${user.args}`);
  const cmd = last('ENTRYPOINT') ?? last('CMD');
  const healthcheck = last('HEALTHCHECK');
  if (!healthcheck || /^NONE$/i.test(healthcheck.args)) problems.push('final stage has no HEALTHCHECK');
  else if (!healthcheck.args.includes('/healthz')) problems.push('HEALTHCHECK does not call GET /healthz');
  const port = loadConfig({}).port;
  if (!final.instructions.some((i) => i.keyword === 'EXPOSE' && words(i.args).some((w) => w.replace(/\/tcp$/, '') === String(port)))) problems.push(`final stage does not EXPOSE ${port}`);
  if (!cmd) problems.push('no CMD/ENTRYPOINT');
  else {
    const argv = words(cmd.args);
    if (!cmd.args.startsWith('[')) problems.push('CMD must be in exec form (JSON array) so SIGTERM reaches Node');
    if (argv[0] !== 'node') problems.push(`CMD starts with ${argv[0]}, not node: npm/sh as PID 1 does not pass SIGTERM on for a graceful shutdown`);
    if (!argv.includes('src/index.ts')) problems.push('CMD does not run src/index.ts');
    if (argv.some((a) => a === 'tsx' || a.includes('/tsx/'))) {
      for (const pkg of tsxRuntimePackages()) {
        if (!copies.some((c) => c.dest !== '.' && isUnder(`node_modules/${pkg}`, c.dest))) problems.push(`CMD runs tsx but the final stage does not COPY node_modules/${pkg}`);
      }
    }
  }

  for (const needed of ['node_modules', '.env', 'data']) {
    if (!excluded.includes(needed)) problems.push(`.dockerignore does not exclude ${needed}`);
  }
  return problems;
}

/** The Dockerfile with every line matching `pattern` (and its continuation lines) removed. */
function without(pattern: RegExp, text = DOCKERFILE): string {
  const out: string[] = [];
  let dropping = false;
  for (const line of text.split('\n')) {
    const drop: boolean = dropping || pattern.test(line);
    dropping = drop && line.trimEnd().endsWith('\\');
    if (!drop) out.push(line);
  }
  return out.join('\n');
}

describe('Dockerfile', () => {
  it('builds a small non-root production image with everything the bot reads at run time', () => {
    expect(checkDockerfile(DOCKERFILE)).toEqual([]);
  });

  it('knows which paths the entry point reads at run time', () => {
    expect(RUNTIME_PATHS.context).toEqual(expect.arrayContaining(['cards', 'prisma/migrations']));
    expect(tsxRuntimePackages()).toEqual(expect.arrayContaining(['tsx', 'esbuild']));
  });

  it.each([
    ['the HEALTHCHECK', /^HEALTHCHECK/, /no HEALTHCHECK/],
    ['the non-root USER', /^USER /, /no USER/],
    ['--omit=dev', /--omit=dev/, /final stage (installs dev dependencies|does not install production)/],
    ['COPY cards', /^COPY cards/, /does not COPY cards/],
    ['COPY prisma', /^COPY prisma \.\/prisma/, /does not COPY prisma\/migrations/],
    ['COPY src', /^COPY src /, /does not COPY src \(/],
    ['the generated Prisma client', /src\/generated/, /does not COPY --from the build stage src\/generated\/prisma/],
    ['the tsx runtime', /node_modules\/esbuild/, /does not COPY node_modules\/esbuild/],
    ['NODE_ENV', /^ENV NODE_ENV/, /NODE_ENV=production/],
    ['EXPOSE', /^EXPOSE/, /does not EXPOSE 3978/],
  ])('fails without %s', (_what, line, problem) => {
    const broken = without(line);
    expect(broken).not.toBe(DOCKERFILE);
    expect(checkDockerfile(broken).join('\n')).toMatch(problem);
  });

  it('fails for a single stage, root, a whole node_modules from the build stage, or npm as PID 1', () => {
    const finalStage = DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM '));
    expect(checkDockerfile(finalStage).join('\n')).toMatch(/multi-stage/);
    expect(checkDockerfile(DOCKERFILE.replace(/^USER .*$/m, 'USER root')).join('\n')).toMatch(/runs as root/);
    expect(checkDockerfile(`${DOCKERFILE}\nCOPY --from=build /app/node_modules ./node_modules\n`).join('\n')).toMatch(/whole node_modules/);
    expect(checkDockerfile(DOCKERFILE.replace(/^CMD .*$/m, 'CMD ["npm", "run", "start:bot"]')).join('\n')).toMatch(/not node/);
    expect(checkDockerfile(DOCKERFILE, `${DOCKERIGNORE}\ncards\n`).join('\n')).toMatch(/\.dockerignore excludes cards/);
  });
});
