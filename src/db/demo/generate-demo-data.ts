import { osloLocalToInstant } from '../../domain/schedule.ts';
import { loadQuestionBank } from '../../question-bank/load-question-bank.ts';
import type { QuestionBank } from '../../question-bank/schema.ts';
import { generatePulseRuns } from './answers.ts';
import { dateInWeek, demoPulseWeeks } from './pulse-calendar.ts';
import { demoId, Rng } from './random.ts';
import { generateRoster } from './roster.ts';
import type { DemoData } from './types.ts';

const DEFAULT_SEED = 'fjordvik-6';

export type GenerateOptions = {
  /** Ids are derived from this (use the Teams tenant id) so two tenants never share a row id. */
  namespace: string;
  /** The tenant's root unit; the municipality goes below it. */
  rootUnitId: string;
  now: Date;
  bank?: QuestionBank;
  seed?: string;
};

/**
 * The whole demo data set, without touching any database. Pure and
 * deterministic: every random choice comes from a PRNG seeded by a string key
 * (the seed plus what is being drawn), and ids are derived from the tenant and
 * that key, so the same tenant always gets the same rows. Only dates move:
 * they are placed relative to `now`.
 */
export function generateDemoData(opts: GenerateOptions): DemoData {
  const bank = opts.bank ?? loadQuestionBank();
  const seed = opts.seed ?? DEFAULT_SEED;
  const id = (key: string) => demoId(opts.namespace, `${seed}:${key}`);
  const rngFor = (key: string) => new Rng(`${seed}:${key}`);

  const weeks = demoPulseWeeks(opts.now);
  // Everyone saved their profile in the week before the oldest pulse.
  const profileBase = osloLocalToInstant(dateInWeek(opts.now, Math.max(...weeks.values()) + 1, 1), '09:00').getTime();
  const { units, people, roles, coordinator } = generateRoster({ id, rngFor, rootUnitId: opts.rootUnitId, profileBase });
  const { pulses, recipients, messages, answers } = generatePulseRuns({ id, rngFor, bank, now: opts.now, weeks, people, createdById: coordinator.id });

  return { units, people, roles, pulses, recipients, messages, answers };
}
