import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { acquireDataDirLock, DatabaseLockedError } from '../../src/db/pglite-lock.ts';

const dirs: string[] = [];
function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-lock-'));
  dirs.push(d);
  return path.join(d, 'pglite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('embedded database directory lock', () => {
  it('a second opener of the same data directory gets a clear error, and the first keeps working', async () => {
    const dir = tempDir();
    const db = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      await expect(openDatabase({ kind: 'pglite', dataDir: dir })).rejects.toThrow(DatabaseLockedError);
      await expect(openDatabase({ kind: 'pglite', dataDir: dir })).rejects.toThrow(/allerede i bruk av en annen prosess/);
      await db.prisma.tenant.create({ data: { teamsTenantId: 'still-works' } });
      expect(await db.prisma.tenant.count()).toBe(1);
    } finally {
      await db.close();
    }
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    // After a clean close the data is there for the next process.
    const again = await openDatabase({ kind: 'pglite', dataDir: dir });
    expect(await again.prisma.tenant.count()).toBe(1);
    await again.close();
  });

  it('another process is refused while the lock is held', () => {
    const dir = tempDir();
    const release = acquireDataDirLock(dir);
    try {
      const script = `import('${path.resolve('src/db/pglite-lock.ts')}').then(m => { try { m.acquireDataDirLock(${JSON.stringify(dir)}); console.log('GOT LOCK'); } catch (e) { console.log(e.name); } })`;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
      expect(child.stdout.trim()).toBe('DatabaseLockedError');
    } finally {
      release();
    }
  });

  it('takes over a stale lock left by a process that died', () => {
    const dir = tempDir();
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    // A pid that cannot be alive (above pid_max on Linux).
    fs.writeFileSync(`${dir}.lock`, `99999999@${os.hostname()}`);
    const release = acquireDataDirLock(dir);
    expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toBe(`${process.pid}@${os.hostname()}`);
    release();
  });

  it('does not take over a lock held from another host (shared volume)', () => {
    const dir = tempDir();
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.writeFileSync(`${dir}.lock`, '1234@some-other-host');
    expect(() => acquireDataDirLock(dir)).toThrow(DatabaseLockedError);
  });
});
