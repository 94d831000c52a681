import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConnectorCall = { method: string; path: string; conversationId?: string; body: Record<string, unknown> | undefined; status?: number; authorization?: string };
export type Member = { id: string; name?: string; aadObjectId?: string; email?: string; userPrincipalName?: string; tenantId?: string };

/**
 * A stand-in for Microsoft's Bot Connector service on 127.0.0.1: records
 * every call the bot makes and answers like the real service (see
 * shared/notes/stack.md, "Mock Bot Connector contract"). With
 * `checkAuthorization` it refuses (401) calls whose Authorization header the
 * check rejects, as the real service does without a valid bot token.
 */
export async function startMockConnector(opts: { checkAuthorization?: (header: string | undefined) => boolean } = {}) {
  const calls: ConnectorCall[] = [];
  const members = new Map<string, Member[]>();
  let nextId = 1;
  /** Status codes to answer with, consumed one per call (for fault tests). */
  const failures: number[] = [];
  /** Conversations that always fail, e.g. a user who blocked the bot (403 ConversationBlockedByUser). */
  const failingConversations = new Map<string, { status: number; code: string }>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const conversationId = parts[0] === 'v3' && parts[1] === 'conversations' ? parts[2] : undefined;
      calls.push({ method: req.method ?? 'GET', path: url.pathname, conversationId, body, authorization: req.headers.authorization });
      const send = (status: number, payload: unknown) => {
        calls[calls.length - 1]!.status = status;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (opts.checkAuthorization && !opts.checkAuthorization(req.headers.authorization)) return send(401, { error: { code: 'Unauthorized', message: 'Authorization has been denied for this request.' } });
      const permanent = conversationId ? failingConversations.get(conversationId) : undefined;
      if (permanent) return send(permanent.status, { error: { code: permanent.code, message: `${permanent.code} (mock)` } });
      const failure = failures.shift();
      if (failure) return send(failure, { error: { code: 'Injected', message: `injected ${failure}` } });
      if (req.method === 'POST' && parts.length === 2) return send(201, { id: `a:created-${nextId++}` });
      if (req.method === 'GET' && parts[3] === 'pagedmembers') return send(200, { members: members.get(conversationId ?? '') ?? [] });
      if (req.method === 'GET' && parts[3] === 'members' && parts[4]) {
        const member = (members.get(conversationId ?? '') ?? []).find((m) => m.id === parts[4]);
        return member ? send(200, member) : send(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
      }
      if (req.method === 'GET' && parts[3] === 'members') return send(200, members.get(conversationId ?? '') ?? []);
      if (parts[3] === 'activities') return send(req.method === 'PUT' ? 200 : 201, { id: `activity-${nextId++}` });
      return send(404, { error: { code: 'NotFound', message: url.pathname } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url,
    calls,
    failures,
    failConversation(conversationId: string, status: number, code: string) {
      failingConversations.set(conversationId, { status, code });
    },
    setMembers(conversationId: string, list: Member[]) {
      members.set(conversationId, list);
    },
    /** Activities the bot sent and the connector accepted (replies, proactive messages, updates), in order. */
    sentActivities(): Array<Record<string, unknown> & { type?: string; text?: string; attachments?: Array<{ contentType: string; content: Record<string, unknown> }> }> {
      return calls.filter((c) => c.path.includes('/activities') && c.body && (c.status ?? 200) < 300).map((c) => c.body as never);
    },
    /** Calls the connector accepted (2xx). */
    accepted(): ConnectorCall[] {
      return calls.filter((c) => (c.status ?? 0) >= 200 && (c.status ?? 0) < 300);
    },
    reset() {
      calls.length = 0;
      failures.length = 0;
      failingConversations.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type MockConnector = Awaited<ReturnType<typeof startMockConnector>>;
