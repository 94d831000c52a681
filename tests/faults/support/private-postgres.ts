import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PRIVATE PostgreSQL server for one fault test: its own data directory in a
 * temporary folder, its own port on 127.0.0.1, stopped (`immediate` = a crash,
 * or `fast`) and started again by the test. The shared PostgreSQL at
 * 127.0.0.1:5432 is never touched.
 *
 * Needs the server binaries (Debian's `postgresql` package, /usr/lib/postgresql/<v>/bin).
 * As root, initdb/postgres refuse to run, so they run as the `postgres` user (runuser).
 */
export type PrivatePostgres = {
  port: number;
  /** postgresql://root@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  createDatabase(name: string): Promise<void>;
  /** `pg_ctl stop`: `immediate` aborts every server process like a crash (recovery on the next start). */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  start(): Promise<void>;
  isRunning(): Promise<boolean>;
  /** Stops the server (if running) and removes its directory. Safe to call twice. */
  remove(): Promise<void>;
  dir: string;
};

export function postgresBinDir(): string | null {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0]!, 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(label = 'kp-faults-pg'): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  if (asRoot) {
    // initdb and postgres refuse to run as root: hand the directory to the postgres user.
    await run('chown', ['postgres:postgres', dir]);
  }
  const pg = (tool: string, args: string[], timeout = 60_000) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { timeout }) : run(path.join(bin, tool), args, { timeout });
  const port = await freePort();
  await pg('initdb', ['-D', data, '-U', 'root', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  // fsync off: the tests crash the server processes, not the machine (the OS keeps what was written).
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  let removed = false;
  const self: PrivatePostgres = {
    port,
    dir,
    url: (database = 'postgres') => `postgresql://root@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      await pg('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'root', name]);
    },
    async start() {
      await pg('pg_ctl', ['-D', data, '-o', options, '-l', logFile, '-w', '-t', '60', 'start'], 90_000);
    },
    async stop(mode = 'immediate') {
      await pg('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'], 90_000);
    },
    async isRunning() {
      try {
        await pg('pg_ctl', ['-D', data, 'status']);
        return true;
      } catch {
        return false;
      }
    },
    async remove() {
      if (removed) return;
      removed = true;
      try {
        if (fs.existsSync(path.join(data, 'postmaster.pid'))) await self.stop('immediate');
      } catch {
        // already down
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await self.start();
  return self;
}
