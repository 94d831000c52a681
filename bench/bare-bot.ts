/**
 * A bare Teams AI bot: the yardstick bench/ingest.ts compares the real bot with.
 *
 *   PORT=3999 node --import tsx bench/bare-bot.ts      (bench/ingest.ts starts it itself)
 *
 * The same stack and options as src/app.ts + src/server.ts in local mode, and
 * nothing else: a TeamsAdapter without credentials, an Application with
 * startTypingTimer: false, removeRecipientMention: true, longRunningMessages:
 * false, on express with the same JSON body parser and `adapter.process` call.
 * It answers an `Action.Execute` invoke with a small card (with the same
 * heading as the real receipt, so the benchmark checks both the same way) and
 * echoes messages. No database, no logging, no state. GET /healthz → 200.
 * Listens on HOST (default 127.0.0.1) and PORT; stops on SIGTERM/SIGINT.
 */
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import express from 'express';

const port = Number(process.env.PORT ?? 3999);
const host = process.env.HOST ?? '127.0.0.1';

const adapter = new TeamsAdapter({});
const app = new Application<TurnState>({
  adapter,
  botAppId: '',
  startTypingTimer: false,
  removeRecipientMention: true,
  longRunningMessages: false,
});

app.adaptiveCards.actionExecute<Record<string, unknown>>('pulse.answer', async (_context, _state, data) => ({
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: 'Takk! Svarene dine er lagret.', weight: 'Bolder', wrap: true },
    { type: 'TextBlock', text: `Puls ${typeof data.pulseId === 'string' ? data.pulseId : ''}`, isSubtle: true, wrap: true },
  ],
}));

app.activity('message', async (context) => {
  await context.sendActivity(`Du skrev: ${context.activity.text ?? ''}`);
});

const http = express();
http.disable('x-powered-by');
http.get('/healthz', (_req, res) => void res.status(200).json({ status: 'ok' }));
http.post('/api/messages', express.json({ limit: 256 * 1024 }), async (req, res) => {
  try {
    await adapter.process(req, res, (context) => app.run(context).then(() => undefined));
  } catch {
    if (!res.headersSent) res.status(500).end();
  }
});

const server = http.listen(port, host, () => {
  const address = server.address();
  console.log(JSON.stringify({ ready: true, port: typeof address === 'object' && address ? address.port : port }));
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
