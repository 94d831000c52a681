import { createHash } from 'node:crypto';
import pino from 'pino';

export type Logger = pino.Logger;

/**
 * JSON logs, one object per line. Personal data and answer contents are never
 * logged: conversation and user ids appear only as short one-way hashes so a
 * support person can correlate lines without learning who is who.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kompetansepuls' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['text', 'value', 'comment', 'name', 'email', '*.text', '*.value', '*.name', '*.email'], censor: '[fjernet]' },
    },
    destination,
  );
}

export function pseudonym(id: string | undefined | null): string | undefined {
  if (!id) return undefined;
  return createHash('sha256').update(id).digest('hex').slice(0, 12);
}
