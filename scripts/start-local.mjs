// `npm start`: the bot in local mode on the embedded database, plus
// Microsoft's local Teams client (Agents Playground) pointed at it.
// Runs on the project's pinned Node (node_modules/.bin is first on PATH).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const env = { ...process.env };
// Read .env when present (optional: npm start works without it).
const dotenv = path.join(root, '.env');
if (existsSync(dotenv)) {
  for (const line of readFileSync(dotenv, 'utf8').split('\n')) {
    const m = line.match(/^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/);
    if (m && env[m[1]] === undefined) env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
}
const port = Number(env.PORT || 3978);
const playgroundPort = Number(env.PLAYGROUND_PORT || 56150);
env.PORT = String(port);
env.HOST ??= '127.0.0.1';
env.LOG_LEVEL ??= 'info';
// The Playground always reports its locale as en-US; show bokmål (the product
// default) unless told otherwise, e.g. LOCAL_CLIENT_LOCALE=nn-NO npm start.
env.LOCAL_CLIENT_LOCALE ??= 'nb-NO';

if (env.MICROSOFT_APP_ID) {
  console.error('npm start kjører lokal modus med Agents Playground; fjern MICROSOFT_APP_ID, eller start boten med `npm run start:bot`.');
  process.exit(2);
}

const children = new Set();
function run(cmd, args, extraEnv = {}, label) {
  const child = spawn(cmd, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const prefix = (chunk, stream) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) stream.write(`[${label}] ${line}\n`);
  };
  child.stdout.on('data', (c) => prefix(c, process.stdout));
  child.stderr.on('data', (c) => prefix(c, process.stderr));
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) {
      console.error(`[${label}] avsluttet (${signal ?? code}); stopper alt.`);
      stop(code ?? 1);
    }
  });
  return child;
}

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(code);
  }, 15000);
  force.unref();
  const wait = setInterval(() => {
    if (children.size === 0) {
      clearInterval(wait);
      process.exit(code);
    }
  }, 100);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

const tsx = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
run(process.execPath, [tsx, 'src/index.ts'], {}, 'bot');

async function waitForBot() {
  for (let i = 0; i < 600 && !stopping; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

if (await waitForBot()) {
  const cli = path.join(root, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
  run(
    process.execPath,
    [cli, '-e', `http://127.0.0.1:${port}/api/messages`, '-c', 'msteams', '-p', String(playgroundPort), '--disable-telemetry'],
    { TEAMSAPPTESTER_BROWSER: 'none', BROWSER: 'none' },
    'playground',
  );
  console.log(`\n  Kompetansepuls kjører. Åpne http://localhost:${playgroundPort} i nettleseren og skriv «hjelp».\n  (Ctrl+C stopper boten og Playground.)\n`);
}
