import type { Config } from './config.ts';
import type { Database } from './data/database.ts';
import { auditRepository, type AuditRepository } from './data/audit-repository.ts';
import { conversationRepository, type ConversationRepository } from './data/conversation-repository.ts';
import { directoryRepository, type DirectoryRepository } from './data/directory-repository.ts';
import type { Logger } from './logger.ts';

/** Everything with I/O that routes use, injected so tests can pass their own. */
export type Deps = {
  config: Config;
  db: Database;
  logger: Logger;
  clock: () => Date;
  directory: DirectoryRepository;
  conversations: ConversationRepository;
  audit: AuditRepository;
};

export function createDeps(config: Config, db: Database, logger: Logger, clock: () => Date = () => new Date()): Deps {
  return {
    config,
    db,
    logger,
    clock,
    directory: directoryRepository(db.prisma, { minGroupSize: config.minGroupSize }),
    conversations: conversationRepository(db.prisma),
    audit: auditRepository(db.prisma),
  };
}
