import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { actorRepository, type ActorRepository } from './db/actor-repository.ts';
import { auditRepository, type AuditRepository } from './db/audit-repository.ts';
import { conversationRepository, type ConversationRepository } from './db/conversation-repository.ts';
import { directoryRepository, type DirectoryRepository } from './db/directory-repository.ts';
import { bankRepository, type BankRepository } from './db/bank-repository.ts';
import { outboxRepository, type OutboxRepository } from './db/outbox-repository.ts';
import { planRepository, type PlanRepository } from './db/plan-repository.ts';
import { holidayRepository, type HolidayRepository } from './db/holiday-repository.ts';
import { responseRepository, type ResponseRepository } from './db/response-repository.ts';
import { measureRepository, type MeasureRepository } from './db/measure-repository.ts';
import { catalogueRepository, type CatalogueRepository } from './db/catalogue-repository.ts';
import type { JobQueue } from './jobs/job-queue.ts';
import { resultsRepository, type ResultsRepository } from './db/results-repository.ts';
import { pulseRepository, type PulseRepository } from './db/pulse-repository.ts';
import type { CardSender } from './delivery/teams-sender.ts';
import type { Logger } from './logger.ts';

/** Everything with I/O that routes use, injected so tests can pass their own. */
export type Deps = {
  config: Config;
  db: Database;
  logger: Logger;
  clock: () => Date;
  directory: DirectoryRepository;
  actors: ActorRepository;
  conversations: ConversationRepository;
  audit: AuditRepository;
  pulses: PulseRepository;
  bank: BankRepository;
  outbox: OutboxRepository;
  plans: PlanRepository;
  /** Units' school holidays (skolerute). */
  schoolHolidays: HolidayRepository;
  results: ResultsRepository;
  responses: ResponseRepository;
  measures: MeasureRepository;
  catalogue: CatalogueRepository;
  /** Set once the job queue has started (index.ts, test harness). */
  jobs?: JobQueue;
  /** Set by createApp: proactive cards go through the Teams adapter. */
  sender?: CardSender;
};

export function createDeps(config: Config, db: Database, logger: Logger, clock: () => Date = () => new Date()): Deps {
  return {
    config,
    db,
    logger,
    clock,
    directory: directoryRepository(db.prisma, { minGroupSize: config.minGroupSize }),
    actors: actorRepository(db.sql),
    conversations: conversationRepository(db.prisma),
    audit: auditRepository(db.prisma),
    pulses: pulseRepository(db.prisma, db.sql),
    bank: bankRepository(db.prisma),
    outbox: outboxRepository(db.prisma, db.sql),
    plans: planRepository(db.prisma),
    schoolHolidays: holidayRepository(db.prisma),
    results: resultsRepository(db.sql),
    responses: responseRepository(db.prisma),
    measures: measureRepository(db.prisma),
    catalogue: catalogueRepository(db.prisma),
  };
}
