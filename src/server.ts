import type { Activity } from 'botbuilder';
import express from 'express';
import type { Server } from 'node:http';
import type { BotApp } from './app.ts';
import type { Deps } from './deps.ts';
import { pseudonym } from './logger.ts';
import { tenantIdOf } from './routes/activity-info.ts';
import { exportFileFor } from './services/results-export.ts';
// privacy (issue 8)
import { registerAuditExportHttp } from './routes/privacy-routes.ts';

export type RunningServer = {
  server: Server;
  port: number;
  /** Stops accepting, waits for in-flight turns (up to `graceMs`), then resolves. */
  close(graceMs?: number): Promise<void>;
};

/**
 * HTTP front: POST /api/messages (Bot Framework protocol) and GET /healthz.
 * Logs one line per activity with tenant, pseudonymous conversation, type and
 * duration — never text or answer values.
 */
export function createHttpApp(bot: BotApp, deps: Deps) {
  const http = express();
  http.disable('x-powered-by');
  let inFlight = 0;
  let draining = false;
  const idleWaiters: Array<() => void> = [];

  http.get('/healthz', async (_req, res) => {
    const database = await deps.db.ping();
    res.status(database && !draining ? 200 : 503).json({
      status: draining ? 'draining' : database ? 'ok' : 'degraded',
      database: database ? 'ok' : 'unreachable',
      backend: deps.db.backend,
      mode: deps.config.mode,
    });
  });

  // Results export (`eksport`): a signed, short-lived link; access is checked again on download.
  http.get('/export/:token', async (req, res) => {
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
    try {
      const file = await exportFileFor(deps, req.params.token ?? '');
      if (file.kind === 'forbidden') {
        deps.logger.warn({ reason: file.reason }, 'export link refused');
        return void res.status(403).type('text/plain; charset=utf-8').send('Lenken er ugyldig eller utløpt. Skriv «eksport» til Kompetansepuls for en ny.');
      }
      res.status(200).set('Content-Type', 'text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${file.filename}"`).send(Buffer.from(file.csv, 'utf8'));
    } catch (err) {
      deps.logger.error({ err: { message: (err as Error).message } }, 'export failed');
      if (!res.headersSent) res.status(500).type('text/plain; charset=utf-8').send('Noe gikk galt. Prøv igjen om litt.');
    }
  });

  // privacy (issue 8): the audit log (`eksport logg`) for admins, by the same kind of signed short-lived link.
  registerAuditExportHttp(http, deps);

  http.post('/api/messages', express.json({ limit: deps.config.maxBodyBytes }), async (req, res) => {
    if (draining) {
      res.status(503).set('Retry-After', '5').end();
      return;
    }
    // security (issue 8): anything that is not shaped like an activity is refused before the SDK sees it (it would throw: 500).
    if (!isActivityShaped(req.body)) {
      deps.logger.warn({ status: 400, reason: 'not an activity' }, 'request rejected');
      res.status(400).json({ error: 'not an activity' });
      return;
    }
    // A card action without an action and verb matches no route (the SDK would answer 501): refuse it as Teams expects.
    if (isMalformedCardAction(req.body)) {
      deps.logger.warn({ status: 400, reason: 'malformed card action' }, 'request rejected');
      res.status(400).json({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'Ugyldig korthandling. Skriv «hjelp» til Kompetansepuls. (Invalid card action.)' } });
      return;
    }
    inFlight++;
    const started = performance.now();
    const activity = (req.body ?? {}) as Partial<Activity>;
    // security (issue 8): a turn that takes too long is answered 503 instead of leaving the caller hanging.
    const turn = withTurnTimeout(res, deps.config.turnTimeoutMs, () =>
      deps.logger.warn({ tenant: tenantIdOf(activity), conversation: pseudonym(activity.conversation?.id), activityType: activity.type, timeoutMs: deps.config.turnTimeoutMs }, 'turn timed out'),
    );
    try {
      await bot.adapter.process(req, turn.res, (context) => bot.app.run(context).then(() => undefined));
    } catch (err) {
      deps.logger.error({ err: { message: (err as Error).message } }, 'adapter failed');
      if (!res.headersSent) res.status(500).end();
    } finally {
      turn.done();
      inFlight--;
      deps.logger.info(
        {
          tenant: tenantIdOf(activity),
          conversation: pseudonym(activity.conversation?.id),
          activityType: activity.type,
          activityName: activity.name,
          status: res.statusCode,
          durationMs: Math.round(performance.now() - started),
        },
        'activity',
      );
      if (inFlight === 0) idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  });

  http.use((err: Error & { type?: string; status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = err.type === 'entity.too.large' ? 413 : err.status && err.status < 500 ? err.status : 500;
    deps.logger.warn({ status, reason: err.type ?? err.message }, 'request rejected');
    res.status(status).json({ error: status === 413 ? 'payload too large' : status === 400 ? 'invalid JSON' : 'error' });
  });

  const drain = (graceMs: number) =>
    new Promise<void>((resolve) => {
      draining = true;
      if (inFlight === 0) return resolve();
      const timer = setTimeout(resolve, graceMs);
      timer.unref();
      idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  return { http, drain };
}

/**
 * The response the adapter writes to, with a deadline: when the turn has not
 * answered within `timeoutMs`, the caller gets 503 (Retry-After) and whatever
 * the adapter writes later is dropped. The turn itself cannot be stopped; it
 * finishes in the background (its replies still go out through the
 * connector), and shutdown still waits for it.
 */
function withTurnTimeout(res: express.Response, timeoutMs: number, onTimeout: () => void) {
  let timedOut = false;
  const timer = setTimeout(() => {
    if (res.headersSent) return;
    timedOut = true;
    onTimeout();
    res.status(503).set('Retry-After', '5').json({ error: 'timeout' });
  }, timeoutMs);
  const guarded = {
    get socket() {
      return res.socket;
    },
    status(code: number) {
      if (!timedOut) res.status(code);
      return guarded;
    },
    header(name: string, value: unknown) {
      if (!timedOut) res.header(name, value as string);
      return guarded;
    },
    send(body?: unknown) {
      if (!timedOut) res.send(body);
      return guarded;
    },
    end() {
      if (!timedOut) res.end();
      return guarded;
    },
  };
  return { res: guarded, done: () => clearTimeout(timer) };
}

export async function startServer(bot: BotApp, deps: Deps, port = deps.config.port, host = deps.config.host): Promise<RunningServer> {
  const { http, drain } = createHttpApp(bot, deps);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = http.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    port: actualPort,
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections?.();
      await drain(graceMs);
      server.closeAllConnections?.();
      await closed;
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasStringId = (v: unknown) => isObject(v) && typeof v.id === 'string' && v.id.length > 0;

/** What every Bot Framework activity the bot handles carries: a type, a sender, a conversation and where to answer. */
export function isActivityShaped(body: unknown): boolean {
  return isObject(body) && typeof body.type === 'string' && body.type.length > 0 && typeof body.serviceUrl === 'string' && hasStringId(body.from) && hasStringId(body.conversation);
}

/** An Adaptive Card action (Action.Execute) whose value has no action with a verb. */
export function isMalformedCardAction(body: Record<string, unknown>): boolean {
  if (body.type !== 'invoke' || body.name !== 'adaptiveCard/action') return false;
  const value = body.value;
  return !isObject(value) || !isObject(value.action) || typeof value.action.verb !== 'string';
}
