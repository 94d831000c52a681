/**
 * A mock Bot Connector on 127.0.0.1 that ENFORCES Teams' throttling limits
 * (shared/notes/stack.md, "Teams platform limits"), for bench/delivery.ts:
 *
 * - per app per tenant: 50 requests in any sliding 1 s window, else 429 with
 *   `Retry-After: 1`. Every request that is not itself throttled counts
 *   (accepted ones and injected 502s: the service did the work); throttled
 *   requests do not take a place in the window.
 * - per conversation: 7 per 1 s, 8 per 2 s, 60 per 30 s, 1800 per hour, else 429.
 * - a seeded, random share of calls (`fail502`) answered 502 before anything
 *   is accepted (so a retry of one is never a duplicate).
 *
 * Answers what the bot calls (stack.md, "Mock Bot Connector contract"):
 * POST /v3/conversations/{conv}/activities[/{id}] → 201 {id}; PUT …/activities/{id}
 * → 200 {id}; POST /v3/conversations (create 1:1) → 201 {id}; GET …/pagedmembers
 * and …/members → []. Every accepted POST of an activity is recorded with its
 * conversation id and the pulse it carries (the `pulseId` in the card's
 * Action.Execute/Submit data), so duplicates can be counted. GET /stats serves
 * the counters as JSON; GET /accepted the recorded activities.
 *
 * Fault tests (tests/faults/) add their own faults with `inject`: called for every request that
 * passed the limits, it may answer a status (429 with Retry-After, 500, 503 …) or hang the request
 * for a while and then reset the connection or answer late with a status — before anything is
 * accepted, so a retry of an injected fault is never a duplicate either.
 *
 * Run alone for manual tests: `npx tsx bench/limit-connector.ts [--port=0] [--fail502=0.02] [--seed=1]`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export type LimitConnectorOptions = {
  /** Share of calls answered 502 (0–1), drawn from a seeded PRNG. */
  fail502?: number;
  seed?: number;
  /** Requests per sliding 1 s window per tenant (Teams: 50). */
  tenantPerSecond?: number;
  /** Per-conversation windows [count, windowMs] (Teams: 7/1 s, 8/2 s, 60/30 s, 1800/1 h). */
  conversationLimits?: Array<[number, number]>;
  port?: number;
  /** Extra faults, decided per request (after the limits, before anything is accepted). */
  inject?: (request: InjectRequest) => InjectedFault | null;
};

export type InjectRequest = { n: number; method: string; conversationId: string | undefined; isActivity: boolean };
export type InjectedFault =
  | { status: number; retryAfter?: string; code?: string }
  /** Hold the request `ms`, then drop the connection (`reset`) or answer a status (e.g. 504). */
  | { hangMs: number; then: 'reset' | number };

export type AcceptedActivity = { at: number; conversationId: string; pulseId: string | null; activityId: string };

export type ConnectorStats = {
  requests: number;
  accepted: number;
  acceptedActivities: number;
  updates: number;
  conversationsCreated: number;
  throttledTenant: number;
  throttledConversation: number;
  injected502: number;
  notFound: number;
  /** Activities accepted for a conversation+pulse that had already been accepted. */
  duplicates: number;
  /** Distinct conversation+pulse pairs with more than one accepted activity. */
  duplicatedRecipients: number;
  firstAcceptedAt: number | null;
  lastAcceptedAt: number | null;
  /** Most requests admitted (not throttled) in any 1 s sliding window, per the tenant windows. */
  peakTenantPerSecond: number;
  /** Faults from `inject`, by kind (`429`, `500`, `hang→reset`, `hang→504` …). */
  injected: Record<string, number>;
};

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Timestamps in a sliding window, amortised O(1) (a queue with a moving head). */
class SlidingWindow {
  private times: number[] = [];
  private head = 0;
  constructor(readonly limit: number, readonly windowMs: number) {}
  private trim(now: number): void {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.windowMs) this.head++;
    if (this.head > 4096) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
  count(now: number): number {
    this.trim(now);
    return this.times.length - this.head;
  }
  full(now: number): boolean {
    return this.count(now) >= this.limit;
  }
  add(now: number): void {
    this.times.push(now);
  }
}

const PULSE_ID = /"pulseId"\s*:\s*"([0-9a-fA-F-]{36})"/;

export async function startLimitConnector(opts: LimitConnectorOptions = {}) {
  const fail502 = opts.fail502 ?? 0;
  const random = prng(opts.seed ?? 1);
  const tenantPerSecond = opts.tenantPerSecond ?? 50;
  const conversationLimits = opts.conversationLimits ?? [
    [7, 1_000],
    [8, 2_000],
    [60, 30_000],
    [1800, 3_600_000],
  ];
  const tenants = new Map<string, SlidingWindow>();
  const conversations = new Map<string, SlidingWindow[]>();
  const accepted: AcceptedActivity[] = [];
  const seen = new Map<string, number>();
  let nextId = 1;
  const stats: ConnectorStats = {
    requests: 0,
    accepted: 0,
    acceptedActivities: 0,
    updates: 0,
    conversationsCreated: 0,
    throttledTenant: 0,
    throttledConversation: 0,
    injected502: 0,
    notFound: 0,
    duplicates: 0,
    duplicatedRecipients: 0,
    firstAcceptedAt: null,
    lastAcceptedAt: null,
    peakTenantPerSecond: 0,
    injected: {},
  };
  const hanging = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = performance.timeOrigin + performance.now();
      const raw = Buffer.concat(chunks).toString('utf8');
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (req.method === 'GET' && url.pathname === '/stats') return send(200, stats);
      if (req.method === 'GET' && url.pathname === '/accepted') return send(200, accepted);
      if (parts[0] !== 'v3' || parts[1] !== 'conversations') return send(404, { error: { code: 'NotFound', message: url.pathname } });

      stats.requests++;
      let body: Record<string, unknown> | undefined;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      } catch {
        return send(400, { error: { code: 'BadSyntax', message: 'invalid JSON' } });
      }
      const conversationId = parts[2];
      const conv = body?.conversation as { tenantId?: string } | undefined;
      const channelData = body?.channelData as { tenant?: { id?: string } } | undefined;
      const tenantId = conv?.tenantId ?? channelData?.tenant?.id ?? (body?.tenantId as string | undefined) ?? 'default';

      // Per app per tenant, over every kind of request.
      let tenantWindow = tenants.get(tenantId);
      if (!tenantWindow) tenants.set(tenantId, (tenantWindow = new SlidingWindow(tenantPerSecond, 1_000)));
      if (tenantWindow.full(now)) {
        stats.throttledTenant++;
        return send(429, { error: { code: 'Throttled', message: 'tenant limit (mock): 50 requests/s' } }, { 'retry-after': '1' });
      }
      // Per conversation, for messages to a conversation.
      const isActivity = conversationId !== undefined && parts[3] === 'activities';
      let convWindows: SlidingWindow[] | undefined;
      if (isActivity) {
        convWindows = conversations.get(conversationId);
        if (!convWindows) conversations.set(conversationId, (convWindows = conversationLimits.map(([n, ms]) => new SlidingWindow(n, ms))));
        if (convWindows.some((w) => w.full(now))) {
          stats.throttledConversation++;
          return send(429, { error: { code: 'Throttled', message: 'conversation limit (mock)' } }, { 'retry-after': '1' });
        }
      }
      tenantWindow.add(now);
      stats.peakTenantPerSecond = Math.max(stats.peakTenantPerSecond, tenantWindow.count(now));
      convWindows?.forEach((w) => w.add(now));

      if (fail502 > 0 && random() < fail502) {
        stats.injected502++;
        return send(502, { error: { code: 'BadGateway', message: 'injected 502 (mock)' } });
      }
      const fault = opts.inject?.({ n: stats.requests, method: req.method ?? 'GET', conversationId, isActivity });
      if (fault) {
        const kind = 'status' in fault ? String(fault.status) : `hang→${fault.then === 'reset' ? 'reset' : fault.then}`;
        stats.injected[kind] = (stats.injected[kind] ?? 0) + 1;
        if ('status' in fault) {
          return send(fault.status, { error: { code: fault.code ?? (fault.status === 429 ? 'Throttled' : 'ServiceError'), message: `injected ${fault.status} (mock)` } }, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
        }
        const timer = setTimeout(() => {
          hanging.delete(timer);
          if (fault.then === 'reset') res.destroy();
          else send(fault.then, { error: { code: 'GatewayTimeout', message: 'injected late answer (mock)' } });
        }, fault.hangMs);
        hanging.add(timer);
        return;
      }

      if (req.method === 'POST' && parts.length === 2) {
        stats.accepted++;
        stats.conversationsCreated++;
        return send(201, { id: `a:created-${nextId++}` });
      }
      if (isActivity && req.method === 'POST') {
        const activityId = `activity-${nextId++}`;
        const pulseId = PULSE_ID.exec(raw)?.[1] ?? null;
        stats.accepted++;
        stats.acceptedActivities++;
        stats.firstAcceptedAt ??= now;
        stats.lastAcceptedAt = now;
        accepted.push({ at: now, conversationId: conversationId!, pulseId, activityId });
        const key = `${conversationId}|${pulseId ?? ''}`;
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        if (n > 1) {
          stats.duplicates++;
          if (n === 2) stats.duplicatedRecipients++;
        }
        return send(201, { id: activityId });
      }
      if (isActivity && req.method === 'PUT') {
        stats.accepted++;
        stats.updates++;
        return send(200, { id: parts[4] ?? `activity-${nextId++}` });
      }
      if (req.method === 'GET' && (parts[3] === 'pagedmembers' || parts[3] === 'members')) {
        stats.accepted++;
        return send(200, parts[3] === 'pagedmembers' ? { members: [] } : []);
      }
      stats.notFound++;
      return send(404, { error: { code: 'NotFound', message: url.pathname } });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url,
    stats: (): ConnectorStats => ({ ...stats, injected: { ...stats.injected } }),
    accepted: (): readonly AcceptedActivity[] => accepted,
    /** Accepted activities per second, between the first and the last one. */
    rate(): number {
      if (stats.firstAcceptedAt === null || stats.lastAcceptedAt === null || stats.acceptedActivities < 2) return 0;
      return (stats.acceptedActivities - 1) / ((stats.lastAcceptedAt - stats.firstAcceptedAt) / 1000);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of hanging) clearTimeout(timer);
        hanging.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type LimitConnector = Awaited<ReturnType<typeof startLimitConnector>>;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const c = await startLimitConnector({ port: Number(arg('port') ?? 0), fail502: Number(arg('fail502') ?? 0), seed: Number(arg('seed') ?? 1) });
  console.log(`limit connector on ${c.url} (GET ${c.url}stats)`);
}
