import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_RETENTION_DAYS, RETENTION_FLOOR_DAYS } from './domain/retention.ts';

/**
 * Configuration read once at start-up from environment variables.
 * Local mode (no MICROSOFT_APP_ID) runs against the Agents Playground with
 * auth disabled; production mode needs the full Azure Bot registration and
 * then botbuilder validates every inbound JWT.
 */
export type Config = {
  mode: 'local' | 'production';
  port: number;
  host: string;
  database: { kind: 'pglite'; dataDir: string | null } | { kind: 'postgresql'; url: string };
  bot: {
    appId: string;
    appPassword?: string;
    certificateThumbprint?: string;
    certificatePrivateKeyFile?: string;
    tenantId?: string;
    appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
    /** Override of the Bot Framework OpenID metadata (sovereign clouds, tests). */
    openIdMetadataUrl?: string;
  };
  /** Teams tenants served; empty = any (local mode only). */
  allowedTenants: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Default minimum group size for published figures (privacy). */
  minGroupSize: number;
  /** Free-text comments are shown only for groups of at least this many respondents (never below k). */
  commentMinGroup: number;
  // privacy (issue 8)
  /** Raw answers and comments of pulses that closed longer ago are deleted; their counts are kept (src/domain/retention.ts). */
  retention: { answerDays: number };
  maxBodyBytes: number;
  // security (issue 8)
  /**
   * Per-person limit on messages and card actions (src/routes/rate-limit.ts),
   * per process; null = off. Answers to a pulse have their own, larger allowance.
   */
  rateLimit: { perMinute: number; answersPerMinute: number } | null;
  /** A turn that takes longer is answered 503 (the work goes on; Teams itself gives up after 15 s). */
  turnTimeoutMs: number;
  /**
   * Optional language model for leaders' free questions (the teams-ai planner).
   * null = no key configured: only the deterministic parser is used. The model
   * sees only the anonymous aggregates our actions return (README, "Results and anonymity").
   */
  ai: AiConfig | null;
  /** Results export links: HMAC secret (random per process in local mode), link lifetime, and the bot's public base URL. */
  export: { signingSecret: string; linkMs: number; publicBaseUrl: string };
  /**
   * Local mode only: the locale to assume for the Teams client. The Agents
   * Playground always claims en-US, so `npm start` sets nb-NO here to show
   * the product's default language.
   */
  localClientLocale: string | null;
  delivery: {
    /**
     * Requests per second per tenant, across all processes. Teams allows 50
     * in any 1 s window; 45 leaves room for the connector client's own
     * retries, which the bucket cannot see (bench/delivery.ts).
     */
    ratePerSecond: number;
    /** Minimum spacing of messages to one conversation (Teams: 60 per 30 s, 1800 per hour). */
    conversationIntervalMs: number;
    maxAttempts: number;
    /** Jobs each process takes at a time. */
    batchSize: number;
    pollSeconds: number;
    /** How long a process may hold a message it is sending; after that another process takes it over. */
    leaseMs: number;
    /** How often each process looks for messages left behind by a process that died. */
    sweepMs: number;
  };
};

export type AiConfig =
  | { provider: 'openai'; apiKey: string; model: string }
  | { provider: 'azure'; apiKey: string; endpoint: string; deployment: string; apiVersion: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ugyldig konfigurasjon (invalid configuration):\n${problems.map((p) => `  - ${p}`).join('\n')}\nSe .env.example for alle variabler.`);
    this.name = 'ConfigError';
  }
}

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const envSchema = z.object({
  PORT: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'må være et tall' }).int('må være et heltall').min(0).max(65535, 'må være 0–65535').default(3978)),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => /^(pglite:|postgres(ql)?:\/\/)/.test(v), 'må starte med pglite:<mappe>, pglite:memory eller postgresql://')
      .default('pglite:./data/pglite'),
  ),
  MICROSOFT_APP_ID: z.preprocess(emptyToUndefined, z.string().regex(guid, 'må være en GUID (appens Microsoft App ID)').optional()),
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_CERT_THUMBPRINT: optionalString,
  MICROSOFT_APP_CERT_KEY_FILE: optionalString,
  MICROSOFT_APP_TENANT_ID: z.preprocess(emptyToUndefined, z.string().regex(guid, 'må være en GUID (Entra-tenant-ID)').optional()),
  MICROSOFT_APP_TYPE: z.preprocess(emptyToUndefined, z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant')),
  BOT_OPENID_METADATA_URL: z.preprocess(emptyToUndefined, z.string().url('må være en URL').optional()),
  ALLOWED_TENANTS: z.preprocess(emptyToUndefined, z.string().optional()),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  MIN_GROUP_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int('må være et heltall').min(3, 'kan ikke være under 3 (personvern)').max(100).default(5)),
  // privacy (issue 8)
  ANSWER_RETENTION_DAYS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'må være et tall (dager)' }).int('må være et heltall').min(RETENTION_FLOOR_DAYS, `kan ikke være under ${RETENTION_FLOOR_DAYS} dager (forslag ser ett år tilbake, og en runde og et svarvindu kommer i tillegg)`).max(36_500).default(DEFAULT_RETENTION_DAYS)),
  COMMENT_MIN_GROUP: z.preprocess(emptyToUndefined, z.coerce.number().int('må være et heltall').min(3, 'kan ikke være under 3 (personvern)').max(1000).default(10)),
  LOCAL_CLIENT_LOCALE: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z]{2}(-[A-Za-z]{2})?$/, 'må være en språkkode som nb-NO, nn-NO eller en-US').optional()),
  DELIVERY_RATE_PER_SECOND: z.preprocess(emptyToUndefined, z.coerce.number().positive('må være over 0').max(1000).default(45)),
  DELIVERY_MAX_ATTEMPTS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(50).default(8)),
  DELIVERY_BATCH_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(500).default(50)),
  DELIVERY_LEASE_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(1).max(3600).default(60)),
  JOB_POLL_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().min(0.5, 'må være minst 0.5').max(60).default(1)),
  EXPORT_SIGNING_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'må være minst 32 tegn (tilfeldig hemmelighet)').optional()),
  EXPORT_LINK_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().positive('må være over 0').max(60, 'kan ikke være over 60').default(10)),
  PUBLIC_BASE_URL: z.preprocess(emptyToUndefined, z.string().url('må være en URL, f.eks. https://kompetansepuls.example.no').optional()),
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: z.preprocess(emptyToUndefined, z.string().trim().default('gpt-4o-mini')),
  AZURE_OPENAI_API_KEY: optionalString,
  AZURE_OPENAI_ENDPOINT: z.preprocess(
    emptyToUndefined,
    z.string().url('må være en https-URL, f.eks. https://<ressurs>.openai.azure.com').refine((v) => v.toLowerCase().startsWith('https://'), 'må være en https-URL, f.eks. https://<ressurs>.openai.azure.com').optional(),
  ),
  AZURE_OPENAI_DEPLOYMENT: optionalString,
  // Tool calls need 2024-02-01 or later; teams-ai's own default (2023-05-15) has none.
  AZURE_OPENAI_API_VERSION: z.preprocess(emptyToUndefined, z.string().regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'må være en API-versjon som 2024-10-21').default('2024-10-21')),
  MAX_BODY_KB: z.preprocess(emptyToUndefined, z.coerce.number().int().min(16).max(4096).default(256)),
  // security (issue 8)
  RATE_LIMIT_PER_MINUTE: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'må være et tall' }).int('må være et heltall').min(0, 'må være 0 (av) eller mer').max(10_000, 'kan ikke være over 10000').default(30)),
  TURN_TIMEOUT_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number({ invalid_type_error: 'må være et tall' }).min(1, 'må være minst 1').max(120, 'kan ikke være over 120').default(15)),
});

/** Parses and validates the environment; throws ConfigError naming each bad variable. */
/** Turn time limit while a language model is configured (routes/ai-routes.ts allows 60 s per turn). */
const AI_TURN_TIMEOUT_MS = 65_000;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const mode = e.MICROSOFT_APP_ID ? 'production' : 'local';
  if (mode === 'production') {
    if (e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI' && !e.MICROSOFT_APP_PASSWORD && !e.MICROSOFT_APP_CERT_THUMBPRINT) {
      problems.push('MICROSOFT_APP_PASSWORD: mangler (eller sett MICROSOFT_APP_CERT_THUMBPRINT og MICROSOFT_APP_CERT_KEY_FILE)');
    }
    if (e.MICROSOFT_APP_CERT_THUMBPRINT && !e.MICROSOFT_APP_CERT_KEY_FILE) {
      problems.push('MICROSOFT_APP_CERT_KEY_FILE: mangler (kreves sammen med MICROSOFT_APP_CERT_THUMBPRINT)');
    }
    if (e.MICROSOFT_APP_TYPE !== 'MultiTenant' && !e.MICROSOFT_APP_TENANT_ID) {
      problems.push('MICROSOFT_APP_TENANT_ID: mangler (kreves for SingleTenant og UserAssignedMSI)');
    }
    if (!e.EXPORT_SIGNING_SECRET) problems.push('EXPORT_SIGNING_SECRET: mangler (kreves i produksjon for nedlastingslenker til resultater; minst 32 tilfeldige tegn)');
    if (e.LOCAL_CLIENT_LOCALE) problems.push('LOCAL_CLIENT_LOCALE: gjelder bare lokal modus (uten MICROSOFT_APP_ID)');
    // security (issue 8): a multi-tenant bot with neither would serve every organisation in Teams.
    if (e.MICROSOFT_APP_TYPE === 'MultiTenant' && !e.MICROSOFT_APP_TENANT_ID && !(e.ALLOWED_TENANTS ?? '').split(',').some((s) => s.trim())) {
      problems.push('ALLOWED_TENANTS: mangler – en MultiTenant-bot uten MICROSOFT_APP_TENANT_ID ville betjene alle organisasjoner; sett ALLOWED_TENANTS (kommaseparerte tenant-ID-er) eller MICROSOFT_APP_TENANT_ID');
    }
    if (!e.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: mangler (kreves i produksjon: nedlastingslenker peker hit, f.eks. https://kompetansepuls.example.no)');
    else if (!e.PUBLIC_BASE_URL.toLowerCase().startsWith('https://')) problems.push('PUBLIC_BASE_URL: må være en https-adresse i produksjon (nedlastingslenkene bærer en signert nøkkel)');
  } else if (e.MICROSOFT_APP_PASSWORD || e.MICROSOFT_APP_TENANT_ID) {
    problems.push('MICROSOFT_APP_ID: mangler, men MICROSOFT_APP_PASSWORD/MICROSOFT_APP_TENANT_ID er satt');
  }
  const allowedTenants = (e.ALLOWED_TENANTS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (mode === 'production' && allowedTenants.length === 0 && e.MICROSOFT_APP_TENANT_ID) {
    allowedTenants.push(e.MICROSOFT_APP_TENANT_ID);
  }
  const ai = aiConfig(e, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const url = e.DATABASE_URL;
  const database: Config['database'] = url.startsWith('pglite:')
    ? { kind: 'pglite', dataDir: url.slice('pglite:'.length) === 'memory' ? null : url.slice('pglite:'.length) || './data/pglite' }
    : { kind: 'postgresql', url };

  return {
    mode,
    port: e.PORT,
    host: e.HOST,
    database,
    bot: {
      appId: e.MICROSOFT_APP_ID ?? '',
      appPassword: e.MICROSOFT_APP_PASSWORD,
      certificateThumbprint: e.MICROSOFT_APP_CERT_THUMBPRINT,
      certificatePrivateKeyFile: e.MICROSOFT_APP_CERT_KEY_FILE,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
      openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
    },
    allowedTenants,
    logLevel: e.LOG_LEVEL,
    minGroupSize: e.MIN_GROUP_SIZE,
    commentMinGroup: e.COMMENT_MIN_GROUP,
    retention: { answerDays: e.ANSWER_RETENTION_DAYS }, // privacy (issue 8)
    ai,
    maxBodyBytes: e.MAX_BODY_KB * 1024,
    // security (issue 8): answers get four times the allowance (at least 60 a minute), so nobody loses one.
    rateLimit: e.RATE_LIMIT_PER_MINUTE > 0 ? { perMinute: e.RATE_LIMIT_PER_MINUTE, answersPerMinute: Math.max(60, 4 * e.RATE_LIMIT_PER_MINUTE) } : null,
    // The optional planner may take up to a minute (two model calls of 20 s and a retry): a shorter turn limit would answer 503 while the reply is still coming.
    turnTimeoutMs: ai ? Math.max(e.TURN_TIMEOUT_SECONDS * 1000, AI_TURN_TIMEOUT_MS) : e.TURN_TIMEOUT_SECONDS * 1000,
    export: {
      signingSecret: e.EXPORT_SIGNING_SECRET ?? randomBytes(32).toString('base64url'),
      linkMs: e.EXPORT_LINK_MINUTES * 60_000,
      publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    },
    localClientLocale: mode === 'local' ? (e.LOCAL_CLIENT_LOCALE ?? null) : null,
    delivery: {
      ratePerSecond: e.DELIVERY_RATE_PER_SECOND,
      conversationIntervalMs: 2000,
      maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
      batchSize: e.DELIVERY_BATCH_SIZE,
      pollSeconds: e.JOB_POLL_SECONDS,
      leaseMs: e.DELIVERY_LEASE_SECONDS * 1000,
      sweepMs: Math.min(15_000, (e.DELIVERY_LEASE_SECONDS * 1000) / 2),
    },
  };
}

/** OpenAI (key, model) or Azure OpenAI (key, endpoint, deployment: all three), never both; none = null. */
function aiConfig(e: z.infer<typeof envSchema>, problems: string[]): AiConfig | null {
  const { AZURE_OPENAI_API_KEY: apiKey, AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_DEPLOYMENT: deployment } = e;
  const azure = { AZURE_OPENAI_API_KEY: apiKey, AZURE_OPENAI_ENDPOINT: endpoint, AZURE_OPENAI_DEPLOYMENT: deployment };
  const azureSet = Object.values(azure).some((v) => v !== undefined);
  if (e.OPENAI_API_KEY && azureSet) {
    problems.push('OPENAI_API_KEY: sett enten OPENAI_API_KEY eller AZURE_OPENAI_*, ikke begge');
    return null;
  }
  if (apiKey && endpoint && deployment) return { provider: 'azure', apiKey, endpoint: endpoint.replace(/\/+$/, ''), deployment, apiVersion: e.AZURE_OPENAI_API_VERSION };
  if (azureSet) {
    for (const [name, value] of Object.entries(azure)) {
      if (value === undefined) problems.push(`${name}: mangler (Azure OpenAI trenger AZURE_OPENAI_API_KEY, AZURE_OPENAI_ENDPOINT og AZURE_OPENAI_DEPLOYMENT)`);
    }
    return null;
  }
  if (e.OPENAI_API_KEY) return { provider: 'openai', apiKey: e.OPENAI_API_KEY, model: e.OPENAI_MODEL };
  return null;
}
