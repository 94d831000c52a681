/**
 * Demo data for screenshots, demos and the Agents Playground: one
 * municipality ("Fjordvik kommune") with four schools, their staff, and
 * closed, published pulses whose answers reproduce the patterns in the seeds.
 *
 * - demo/roster.ts: the schools, people, names and roles;
 * - demo/answers.ts and demo/answer-values.ts: the pulses and answers, with
 *   the seeds' patterns;
 * - demo/generate-demo-data.ts: the whole data set, pure and deterministic;
 * - demo/write-demo-data.ts: writing it to the database (reset, idempotence).
 */
export { chooseDemoTenant, PLAYGROUND_TENANT_ID } from './demo/choose-demo-tenant.ts';
export { formatSeedResult } from './demo/format-seed-result.ts';
export { generateDemoData, type GenerateOptions } from './demo/generate-demo-data.ts';
export { DEMO_PULSES, demoPulseWeeks } from './demo/pulse-calendar.ts';
export { demoId, Rng } from './demo/random.ts';
export { DEMO_EMAIL_DOMAIN, DEMO_EXTERNAL_PREFIX, DEMO_MUNICIPALITY, DEMO_SCHOOLS, emailLocalPart } from './demo/roster.ts';
export { FACILITATION_ECONOMY_ITEMS, summarizeDemoData, type DemoSummary } from './demo/summary.ts';
export type { DemoAnswer, DemoData, DemoMessage, DemoPerson, DemoPulse, DemoRecipient, DemoUnit } from './demo/types.ts';
export { removeDemoData, seedDemoData, type RemovedCounts, type SeedOptions, type SeedResult } from './demo/write-demo-data.ts';
