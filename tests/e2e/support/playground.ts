/**
 * End-to-end harness: the real bot process + Microsoft 365 Agents Playground
 * (Microsoft's local Teams-like client) + headless Chromium driving its UI.
 *
 *   Chromium ──► Playground UI/server (127.0.0.1:pg) ──► activity proxy ──► bot (127.0.0.1:port)
 *                        ▲                                                   │
 *                        └──────────── replies to serviceUrl /_connector ◄───┘
 *
 * The proxy is ours: it records every activity the Playground sends and, by
 * default, replaces the Playground's hard-coded `en-US` client locale with
 * `nb-NO` (what a Norwegian school's Teams sends). Pass `locale: null` to
 * see the Playground's own behaviour.
 *
 * Meant to run inside a private network namespace (tests/e2e/run-e2e.sh):
 * the Playground phones home (Application Insights, 169.254.169.254) even
 * with telemetry off. The browser additionally aborts every request that is
 * not to the loopback interface.
 *
 * Every process is started in its own process group and `stop()` kills the
 * groups (SIGTERM, then SIGKILL); a process 'exit' hook kills whatever is left
 * if a test run dies before `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { freePort } from '../../../bench/proc.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SCREENSHOT_DIR = path.join(ROOT, 'tests', 'e2e', 'screenshots');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Selectors of the Playground UI (Fluent UI v9; class names are hashed, so we use aria labels). */
export const SELECTORS = {
  chatBox: '[data-lexical-editor=true]',
  /** The inner container of a message from the bot: header with author + content (text or cards). */
  botMessage: 'div:has(> [aria-label="Message header"] > [aria-label="Message author"])',
  /** The current user's own messages: header without author. */
  userMessage: 'div:has(> [aria-label="Message header"]):not(:has(> [aria-label="Message header"] > [aria-label="Message author"]))',
  card: '.ac-adaptiveCard',
} as const;

export type PlaygroundOptions = {
  /** Client locale the bot sees in message/invoke activities. Default 'nb-NO'; null = leave the Playground's en-US. */
  locale?: string | null;
  /** DATABASE_URL for the bot. Default 'pglite:memory'. */
  databaseUrl?: string;
  /** Extra environment for the bot process (e.g. MIN_GROUP_SIZE). */
  env?: Record<string, string>;
  /** A Playground .m365agentsplayground.yml to use (tenant, users, team). Default: its built-in config. */
  configFile?: string;
  /** Time allowed for bot + Playground + browser to come up. Default 60 s. */
  startupTimeoutMs?: number;
  /** Default wait for bot replies. Default 20 s. */
  replyTimeoutMs?: number;
  viewport?: { width: number; height: number };
};

/** An activity the Playground sent to the bot (after locale rewriting). */
export type InboundActivity = Record<string, unknown> & { type?: string; text?: string; locale?: string };
/** A frame of the Playground's conversation stream (what the UI is told to render). */
export type StreamEvent = { action?: string; message?: Record<string, unknown> } & Record<string, unknown>;

export type Playground = {
  page: Page;
  context: BrowserContext;
  botUrl: string;
  playgroundUrl: string;
  botPid: number;
  /** Activities the Playground posted to /api/messages, in arrival order. */
  activities: InboundActivity[];
  /** createMessage/updateMessage/… frames the UI received (raw cards and texts sent by the bot). */
  stream: StreamEvent[];
  /** Changes the client locale for the following activities (null = the Playground's en-US). */
  setLocale(locale: string | null): void;
  /** Types a message in the chat box and presses Enter; waits until the user's bubble shows. */
  sendMessage(text: string): Promise<void>;
  /**
   * Waits for a bot message (text or card) containing `text` (whitespace-normalised) or matching
   * the RegExp, among messages that arrived after the last sendMessage() (or any, with `{ any: true }`).
   */
  waitForBotText(text: string | RegExp, opts?: { timeoutMs?: number; any?: boolean }): Promise<Locator>;
  botMessages(): Locator;
  userMessages(): Locator;
  /** The newest Adaptive Card rendered in a bot message. */
  lastCard(): Locator;
  /** Saves tests/e2e/screenshots/<name>.png (viewport, as a person sees it) and returns the path. */
  screenshot(name: string, opts?: { fullPage?: boolean }): Promise<string>;
  /** Bot + Playground output, Playground log panel entries and blocked requests (for failure reports). */
  logs(): string;
  stop(): Promise<void>;
};

// ---------------------------------------------------------------- processes

type Managed = { label: string; child: ChildProcess; exited: Promise<void>; output: string[] };
const live = new Set<Managed>();
const liveProfiles = new Set<string>();

process.once('exit', () => {
  // Last resort (a test run dying before stop()): synchronous SIGKILL of every group we started.
  for (const m of live) killGroup(m, 'SIGKILL');
  for (const dir of liveProfiles) killChromiumUsing(dir);
});

function startProcess(label: string, cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Managed {
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 500) output.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.once('error', (err) => {
      output.push(`spawn error: ${err.message}`);
      resolve();
    });
  });
  const managed: Managed = { label, child, exited, output };
  live.add(managed);
  void exited.then(() => {
    if (groupMembers(child.pid).length === 0) live.delete(managed);
  });
  return managed;
}

/** PIDs whose process group is `pgid` (Linux /proc). */
function groupMembers(pgid: number | undefined): number[] {
  if (!pgid) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …; comm may contain spaces/parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

function killGroup(m: Managed, signal: NodeJS.Signals): void {
  const pid = m.child.pid;
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // group already empty
  }
}

async function stopProcess(m: Managed, graceMs = 5_000): Promise<void> {
  const pid = m.child.pid;
  if (!pid) return;
  killGroup(m, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupMembers(pid).length > 0) await sleep(50);
  if (groupMembers(pid).length > 0) {
    m.output.push(`[harness] ${m.label} still running after ${graceMs} ms: SIGKILL`);
    killGroup(m, 'SIGKILL');
    const hard = Date.now() + 3_000;
    while (Date.now() < hard && groupMembers(pid).length > 0) await sleep(50);
  }
  await Promise.race([m.exited, sleep(1_000)]);
  live.delete(m);
}

/** Chromium processes whose command line names our private profile directory. */
function chromiumPidsUsing(profileDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(profileDir)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

function killChromiumUsing(profileDir: string): void {
  for (const pid of chromiumPidsUsing(profileDir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

// ---------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));



function tail(m: Managed | undefined, lines = 40): string {
  return m ? m.output.slice(-lines).map((l) => `  [${m.label}] ${l}`).join('\n') : '';
}

/** Polls `url` until it answers 200; fails early if the process exits. */
async function waitForHttp200(url: string, m: Managed, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void m.exited.then(() => (exited = true));
  let last = '';
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${m.label} exited (code ${m.child.exitCode ?? m.child.signalCode}) before ${url} answered\n${tail(m)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${m.label}: ${url} did not answer 200 within ${timeoutMs} ms (last: ${last})\n${tail(m)}`);
}

async function waitForLine(m: Managed, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of m.output) {
      const match = line.match(pattern);
      if (match) return match;
    }
    if (m.child.exitCode !== null || m.child.signalCode !== null) break;
    await sleep(50);
  }
  throw new Error(`${m.label}: no output matching ${pattern} within ${timeoutMs} ms\n${tail(m)}`);
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();

function rewriteLocale(activity: InboundActivity, locale: string): void {
  const country = locale.split('-')[1]?.toUpperCase();
  if (typeof activity.locale === 'string') activity.locale = locale;
  if (Array.isArray(activity.entities)) {
    for (const entity of activity.entities as Array<Record<string, unknown>>) {
      if (entity?.type !== 'clientInfo') continue;
      if (typeof entity.locale === 'string') entity.locale = locale;
      if (typeof entity.country === 'string' && country) entity.country = country;
    }
  }
}

/** Loopback proxy Playground → bot: records activities and rewrites the client locale. */
async function startActivityProxy(botPort: number, state: { locale: string | null; activities: InboundActivity[]; notes: string[] }) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      const headers = { ...req.headers };
      if (req.method === 'POST' && body.length > 0 && String(headers['content-type'] ?? '').includes('json')) {
        try {
          const activity = JSON.parse(body.toString('utf8')) as InboundActivity;
          if (state.locale) rewriteLocale(activity, state.locale);
          state.activities.push(activity);
          body = Buffer.from(JSON.stringify(activity));
          headers['content-length'] = String(body.length);
        } catch {
          // not an activity: pass through untouched
        }
      }
      const upstream = http.request(
        { host: '127.0.0.1', port: botPort, method: req.method, path: req.url, headers, timeout: 60_000 },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('timeout', () => upstream.destroy(new Error('bot did not answer within 60 s')));
      upstream.on('error', (err) => {
        state.notes.push(`[proxy] ${req.method} ${req.url}: ${err.message}`);
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { port, close };
}

// ---------------------------------------------------------------- start

/** Starts bot, Playground and browser, opens the Playground's personal chat. Always call stop(). */
export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
  const startupTimeoutMs = options.startupTimeoutMs ?? 60_000;
  const replyTimeoutMs = options.replyTimeoutMs ?? 20_000;
  const state = { locale: options.locale === undefined ? 'nb-NO' : options.locale, activities: [] as InboundActivity[], notes: [] as string[] };
  const stream: StreamEvent[] = [];
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'kp-e2e-'));
  const profileDir = path.join(workDir, 'chromium-profile');
  mkdirSync(profileDir);
  liveProfiles.add(profileDir);

  let bot: Managed | undefined;
  let playground: Managed | undefined;
  let proxy: Awaited<ReturnType<typeof startActivityProxy>> | undefined;
  let context: BrowserContext | undefined;
  let stopped = false;

  const logs = () =>
    [
      '--- bot',
      tail(bot, 200),
      '--- playground',
      tail(playground, 200),
      '--- harness / playground log panel',
      ...state.notes.slice(-200).map((n) => `  ${n}`),
    ].join('\n');

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (context) {
      const ctx = context;
      await Promise.race([ctx.close().catch(() => undefined), sleep(10_000)]);
    }
    killChromiumUsing(profileDir);
    liveProfiles.delete(profileDir);
    await Promise.all([bot && stopProcess(bot), playground && stopProcess(playground), proxy?.close()]);
    rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    const [botPort, pgPort] = await Promise.all([freePort(), freePort()]);
    const baseEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    bot = startProcess('bot', tsx, ['src/index.ts'], {
      cwd: ROOT,
      env: {
        ...baseEnv,
        // Local mode: no Azure credentials, every tenant served.
        MICROSOFT_APP_ID: '',
        MICROSOFT_APP_PASSWORD: '',
        MICROSOFT_APP_TENANT_ID: '',
        ALLOWED_TENANTS: '',
        DATABASE_URL: options.databaseUrl ?? 'pglite:memory',
        HOST: '127.0.0.1',
        PORT: String(botPort),
        LOG_LEVEL: 'warn',
        ...options.env,
      },
    });
    proxy = await startActivityProxy(botPort, state);

    const cli = path.join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
    playground = startProcess(
      'playground',
      process.execPath,
      [cli, '-e', `http://127.0.0.1:${proxy.port}/api/messages`, '-c', 'msteams', '-p', String(pgPort), '--disable-telemetry'],
      {
        cwd: workDir, // it writes ./devTools/… and reads ./.m365agentsplayground.yml from its cwd
        env: {
          ...baseEnv,
          TEAMSAPPTESTER_BROWSER: 'none',
          BROWSER: 'none',
          TZ: 'Europe/Oslo',
          M365_AGENTS_PLAYGROUND_LOGFILE: path.join(workDir, 'playground.log'),
          M365_AGENTS_PLAYGROUND_CONFIG_PATH: options.configFile ?? path.join(workDir, 'no-config.yml'),
        },
      },
    );

    const browserReady = chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: options.viewport ?? { width: 1280, height: 900 },
      locale: 'nb-NO',
      timezoneId: 'Europe/Oslo',
      timeout: startupTimeoutMs,
    });
    // Don't leave an unhandled rejection behind if an earlier step throws first.
    browserReady.catch(() => undefined);

    // Playground falls back to a random port when ours is taken: read the real one.
    const [, listening] = await waitForLine(playground, /Listening on (\d+)/, startupTimeoutMs);
    const playgroundUrl = `http://127.0.0.1:${listening}`;
    const botUrl = `http://127.0.0.1:${botPort}`;
    await Promise.all([
      waitForHttp200(`${botUrl}/healthz`, bot, startupTimeoutMs),
      waitForHttp200(`${playgroundUrl}/`, playground, startupTimeoutMs),
    ]);

    context = await browserReady;
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (LOOPBACK_HOSTS.has(url.hostname) || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
      state.notes.push(`[blocked] ${route.request().method()} ${url.origin}${url.pathname}`);
      return route.abort('blockedbyclient');
    });
    await context.routeWebSocket(
      (url) => !LOOPBACK_HOSTS.has(url.hostname),
      (ws) => {
        state.notes.push(`[blocked] websocket ${ws.url()}`);
        void ws.close();
      },
    );
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(replyTimeoutMs);
    page.on('pageerror', (err) => state.notes.push(`[pageerror] ${err.message}`));
    page.on('websocket', (ws) => {
      ws.on('framereceived', ({ payload }) => {
        try {
          const frame = JSON.parse(String(payload)) as Record<string, unknown>;
          const log = frame.log as { displayText?: string } | undefined;
          if (frame.logAction && log?.displayText) state.notes.push(`[log panel] ${log.displayText}`);
          else if (frame.action) stream.push(frame as StreamEvent);
        } catch {
          // not JSON
        }
      });
    });

    await page.goto(playgroundUrl, { waitUntil: 'load', timeout: startupTimeoutMs });
    await page.locator(SELECTORS.chatBox).waitFor({ state: 'visible', timeout: startupTimeoutMs });

    const botMessages = () => page.locator(SELECTORS.botMessage);
    const userMessages = () => page.locator(SELECTORS.userMessage);
    let botMark = 0;

    const sendMessage = async (text: string) => {
      const before = await userMessages().count();
      botMark = await botMessages().count();
      const box = page.locator(SELECTORS.chatBox);
      await box.click();
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
      await userMessages().nth(before).filter({ hasText: text }).waitFor({ state: 'visible', timeout: replyTimeoutMs });
    };

    const waitForBotText = async (text: string | RegExp, opts: { timeoutMs?: number; any?: boolean } = {}) => {
      const from = opts.any ? 0 : botMark;
      const deadline = Date.now() + (opts.timeoutMs ?? replyTimeoutMs);
      const matches = (t: string) => (typeof text === 'string' ? normalise(t).includes(normalise(text)) : text.test(t));
      let seen: string[] = [];
      do {
        seen = await botMessages().allInnerTexts();
        for (let i = seen.length - 1; i >= from; i--) {
          if (matches(seen[i] ?? '')) {
            const found = botMessages().nth(i);
            await found.scrollIntoViewIfNeeded();
            return found;
          }
        }
        await sleep(100);
      } while (Date.now() < deadline);
      const shown = seen.map((t, i) => `  #${i}${i < from ? ' (before last send)' : ''}: ${normalise(t).slice(0, 300)}`).join('\n');
      throw new Error(`No bot message with ${String(text)} within ${opts.timeoutMs ?? replyTimeoutMs} ms. Bot messages shown:\n${shown || '  (none)'}`);
    };

    const screenshot = async (name: string, opts: { fullPage?: boolean } = {}) => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: opts.fullPage ?? false, animations: 'disabled', caret: 'hide' });
      return file;
    };

    return {
      page,
      context,
      botUrl,
      playgroundUrl,
      botPid: bot.child.pid ?? 0,
      activities: state.activities,
      stream,
      setLocale: (locale) => {
        state.locale = locale;
      },
      sendMessage,
      waitForBotText,
      botMessages,
      userMessages,
      lastCard: () => botMessages().locator(SELECTORS.card).last(),
      screenshot,
      logs,
      stop,
    };
  } catch (err) {
    const report = logs();
    await stop();
    throw new Error(`${(err as Error).message}\n${report}`, { cause: err });
  }
}
