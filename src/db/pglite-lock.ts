import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Two processes on one PGlite data directory corrupt it silently (lost rows,
 * broken indexes), so the directory is guarded by an exclusive lock file that
 * records pid@host. A lock left by a dead process on this host is taken over.
 */
export class DatabaseLockedError extends Error {
  constructor(readonly lockFile: string, readonly holder: string) {
    super(
      `Databasen i ${path.dirname(lockFile)} er allerede i bruk av en annen prosess (${holder}). ` +
        `Stopp den andre prosessen først, eller bruk en annen DATABASE_URL. ` +
        `(The embedded database is already in use by another process.)`,
    );
    this.name = 'DatabaseLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock for `dataDir`; returns a function that releases it. */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  const lockFile = `${path.resolve(dataDir)}.lock`;
  const me = `${process.pid}@${os.hostname()}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockFile, me, { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockFile, 'utf8') === me) fs.unlinkSync(lockFile);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = '';
      try {
        holder = fs.readFileSync(lockFile, 'utf8').trim();
      } catch {
        continue; // removed between our attempts
      }
      const [pidText, host] = holder.split('@');
      const pid = Number(pidText);
      const stale = host === os.hostname() && Number.isInteger(pid) && (pid === process.pid ? false : !isAlive(pid));
      if (!stale) throw new DatabaseLockedError(lockFile, holder || 'ukjent');
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new DatabaseLockedError(lockFile, 'ukjent');
}
