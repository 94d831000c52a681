/**
 * Prisma's schema engine (WASM build) without its native binary, used to
 * compute the SQL that brings the committed migrations up to schema.prisma.
 *
 * `prisma migrate dev` cannot run on our machines (it downloads a native
 * engine), so `npm run db:new` and the drift test use this module instead:
 *
 *   1. apply every committed migration.sql, in order, to a fresh in-memory PGlite;
 *   2. ask the engine to diff that database against schema.prisma.
 *
 * This avoids `createMigration`, which needs a shadow database (the PGlite
 * adapter would silently create a second in-memory one per call).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { DiffParams, DiffResult, SchemaEngine } from '@prisma/schema-engine-wasm';
import { readMigrations } from './migrate.ts';

type EngineRuntime = typeof import('@prisma/schema-engine-wasm/schema_engine_bg');

/**
 * The bits of the WebAssembly JS API we use. Declared here because the
 * project compiles without the DOM lib, where @types/node only provides
 * WebAssembly as a type namespace, not as a value.
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}

let runtimePromise: Promise<EngineRuntime> | undefined;

/**
 * Instantiates the WASM module once per process.
 *
 * Why by hand: the package's entry point does `import * as wasm from
 * "./schema_engine_bg.wasm"` (WASM ESM integration). Node 20 cannot load
 * that, Node 24 loads it as an experimental feature with a warning, and
 * bundlers/test runners may not. Reading the bytes ourselves and wiring the
 * JS glue (the `_bg.js` file) to the instance, as the entry point would,
 * works on every Node version the project supports.
 */
function loadRuntime(): Promise<EngineRuntime> {
  runtimePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const runtime = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as EngineRuntime;
    const bytes = await readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));

    // The engine's async runtime schedules its timers (~10 s timeouts)
    // through this import. A normal (ref'ed) Node timer keeps the event loop
    // alive after the work is done, so a script or test would hang until it
    // fires. unref() lets the process exit; the timer still fires if the
    // process stays alive for other reasons. The glue module's namespace
    // object is frozen, so the patched function goes into a copy of it.
    const imports: Record<string, unknown> = { ...runtime };
    const timerKeys = Object.keys(imports).filter((k) => k.startsWith('__wbg_setTimeout_'));
    if (timerKeys.length === 0) {
      throw new Error('schema-engine-wasm: setTimeout import not found (package layout changed?)');
    }
    for (const key of timerKeys) {
      const original = imports[key] as (cb: () => void, ms: number) => unknown;
      imports[key] = (cb: () => void, ms: number) => {
        const handle = original(cb, ms);
        (handle as { unref?: () => void } | undefined)?.unref?.();
        return handle;
      };
    }

    const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const module = new wasmApi.Module(bytes);
    const instance = new wasmApi.Instance(module, { './schema_engine_bg.js': imports });
    runtime.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime;
  })();
  return runtimePromise;
}

export interface DiffOptions {
  /** Path to schema.prisma. */
  schemaPath: string;
  /** Folder holding `<name>/migration.sql` folders. */
  migrationsDir: string;
}

/**
 * Returns the SQL script that turns "all committed migrations applied" into
 * the database described by schema.prisma, or '' when they already match.
 */
export async function diffSchemaAgainstMigrations(opts: DiffOptions): Promise<string> {
  const runtime = await loadRuntime();
  const schemaPath = path.resolve(opts.schemaPath);
  const schemaText = await readFile(schemaPath, 'utf8');

  const db = new PGlite(); // in-memory
  let engine: SchemaEngine | undefined;
  try {
    // Plain exec, not applyMigrations(): no _prisma_migrations table to
    // confuse the diff, and no checks that matter on a throwaway database.
    for (const { name, script } of await readMigrations(opts.migrationsDir)) {
      try {
        await db.exec(script);
      } catch (err) {
        throw new Error(`Migration ${name} failed on the scratch database: ${(err as Error).message}`, { cause: err });
      }
    }

    const logs: string[] = [];
    // The engine talks to the database only through a driver adapter factory
    // (the WASM build has no network drivers). It expects the *bound* form
    // Prisma's client uses: methods callable without `this` and returning
    // {ok, value} results. Passing `new PrismaPGlite(db)` directly fails with
    // "Cannot read properties of null (reading 'client')".
    // We never call anything that needs a shadow database.
    engine = await runtime.SchemaEngine.new(
      { datamodels: [[schemaPath, schemaText]] },
      (line: string) => { logs.push(line); },
      bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(db)),
    );

    const files = [{ path: schemaPath, content: schemaText }];
    const params: DiffParams = {
      from: { tag: 'schemaDatasource', files, configDir: path.dirname(schemaPath) },
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    };
    let result: DiffResult;
    try {
      result = await engine.diff(params);
    } catch (err) {
      throw new Error(`Schema engine diff failed: ${describeEngineError(err)}${logs.length ? `\n${logs.join('\n')}` : ''}`, { cause: err });
    }
    // exitCode 0 = no difference, 2 = difference (like `prisma migrate diff --exit-code`).
    if (result.exitCode === 0) return '';
    if (result.exitCode !== 2) throw new Error(`Schema engine diff returned exit code ${result.exitCode}`);
    return result.stdout ?? '';
  } finally {
    engine?.free();
    await db.close();
  }
}

/** Engine errors arrive as plain objects or JSON strings, not always Errors. */
function describeEngineError(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
