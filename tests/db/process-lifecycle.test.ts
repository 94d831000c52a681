import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-proc-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function startBot(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = async () => {
    for (let i = 0; i < 900; i++) {
      const m = out.match(/"port":(\d+)/);
      if (m) return Number(m[1]);
      if (child.exitCode !== null) throw new Error(`bot exited: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`bot did not start: ${out}`);
  };
  return { child, exited, listening, output: () => out };
}

// Real bot processes: a cold start (Node, tsx, PGlite, migrations, job queue) can take 20 s or more on a busy 2-core machine.
describe('the bot process', { timeout: 120_000 }, () => {
  it('starts on an empty data directory (applying migrations), serves /healthz, and on SIGTERM closes the database and releases its lock', async () => {
    const dir = path.join(tmp, 'pglite');
    const bot = startBot({ DATABASE_URL: `pglite:${dir}` });
    const port = await bot.listening();
    expect(bot.output()).toMatch(/Applied \d+ migration/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', backend: 'pglite', mode: 'local' });
    expect(fs.existsSync(`${dir}.lock`)).toBe(true);

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.output()).toContain('stopped');
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });

  it('refuses to start with bad configuration, naming the variable', async () => {
    const bot = startBot({ PORT: 'abc', DATABASE_URL: 'pglite:memory' });
    expect(await bot.exited).toBe(78);
    expect(bot.output()).toContain('PORT:');
  });

  it('a second bot on the same data directory exits with a clear message instead of corrupting it', async () => {
    const dir = path.join(tmp, 'shared');
    const first = startBot({ DATABASE_URL: `pglite:${dir}` });
    await first.listening();
    const second = startBot({ DATABASE_URL: `pglite:${dir}` });
    expect(await second.exited).toBe(75);
    expect(second.output()).toContain('allerede i bruk av en annen prosess');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });
});
