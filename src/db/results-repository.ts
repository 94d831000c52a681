import type { AnswerRow } from '../domain/aggregate-results.ts';
import type { PulseContent } from '../domain/pulse-content.ts';
import type { SqlExecutor } from './sql-executor.ts';

export type ClosedPulse = { id: string; unitId: string; content: PulseContent; closesAt: Date; templateId: string };

/**
 * Answers for aggregation. The person id never leaves the database: each row
 * carries a per-pulse pseudonym (md5 of person and pulse), enough to count
 * distinct respondents and pair a person's two answers to a theme.
 */
export function resultsRepository(sql: SqlExecutor) {
  return {
    async latestClosed(unitIds: string[], templateId?: string): Promise<ClosedPulse | null> {
      if (unitIds.length === 0) return null;
      const rows = await sql.query<ClosedPulse>(
        `SELECT id, "unitId", content, "closesAt", "templateId" FROM "Pulse"
          WHERE "unitId" = ANY($1::uuid[]) AND status IN ('closed', 'published') AND ($2::text IS NULL OR "templateId" = $2)
          ORDER BY "closesAt" DESC LIMIT 1`,
        [unitIds, templateId ?? null],
      );
      return rows[0] ?? null;
    },

    /**
     * The latest round of a template across the viewer's units: the latest
     * closed pulse plus the same template's pulses that closed within three
     * weeks of it (a municipality runs one survey in all its schools).
     */
    async latestRound(unitIds: string[]): Promise<ClosedPulse[]> {
      const latest = await this.latestClosed(unitIds);
      if (!latest) return [];
      return sql.query<ClosedPulse>(
        `SELECT id, "unitId", content, "closesAt", "templateId" FROM "Pulse"
          WHERE "unitId" = ANY($1::uuid[]) AND status IN ('closed', 'published') AND "templateId" = $2
            AND "closesAt" BETWEEN $3::timestamptz - interval '21 days' AND $3::timestamptz
          ORDER BY "closesAt" DESC`,
        [unitIds, latest.templateId, latest.closesAt],
      );
    },

    /**
     * The round before `before` (the current round's earliest close): the
     * latest closed pulse of the same template that closed at least a day
     * earlier, plus that template's pulses within three weeks before it.
     */
    async previousRound(unitIds: string[], templateId: string, before: Date): Promise<ClosedPulse[]> {
      if (unitIds.length === 0) return [];
      const latest = await sql.query<{ closesAt: Date }>(
        `SELECT "closesAt" FROM "Pulse"
          WHERE "unitId" = ANY($1::uuid[]) AND status IN ('closed', 'published') AND "templateId" = $2
            AND "closesAt" < $3::timestamptz - interval '1 day'
          ORDER BY "closesAt" DESC LIMIT 1`,
        [unitIds, templateId, before],
      );
      if (!latest[0]) return [];
      return sql.query<ClosedPulse>(
        `SELECT id, "unitId", content, "closesAt", "templateId" FROM "Pulse"
          WHERE "unitId" = ANY($1::uuid[]) AND status IN ('closed', 'published') AND "templateId" = $2
            AND "closesAt" BETWEEN $3::timestamptz - interval '21 days' AND $3::timestamptz
          ORDER BY "closesAt" DESC`,
        [unitIds, templateId, latest[0].closesAt],
      );
    },

    /**
     * Free-text comments of a round, optionally for one staff role or school
     * level: only the text and its pulse id leave the database (no person,
     * role, time or row order worth keeping — callers shuffle).
     */
    async commentTexts(pulseIds: string[], group: { staffRole?: string | null; schoolLevel?: string | null } = {}): Promise<{ pulseId: string; text: string }[]> {
      if (pulseIds.length === 0) return [];
      return sql.query<{ pulseId: string; text: string }>(
        `SELECT "pulseId"::text AS "pulseId", comment AS text FROM "Answer"
          WHERE "pulseId" = ANY($1::uuid[]) AND comment IS NOT NULL AND btrim(comment) <> ''
            AND ($2::text IS NULL OR "staffRole"::text = $2) AND ($3::text IS NULL OR "schoolLevel"::text = $3)
          ORDER BY md5(comment || "pulseId"::text)`,
        [pulseIds, group.staffRole ?? null, group.schoolLevel ?? null],
      );
    },

    async answerRows(pulseIds: string[]): Promise<AnswerRow[]> {
      return sql.query<AnswerRow>(
        `SELECT md5("personId"::text || "pulseId"::text) AS "personKey", "itemId", value, "staffRole"::text AS "staffRole",
                "schoolLevel"::text AS "schoolLevel", "schoolId"::text AS "schoolId"
           FROM "Answer" WHERE "pulseId" = ANY($1::uuid[]) AND value IS NOT NULL`,
        [pulseIds],
      );
    },
  };
}

export type ResultsRepository = ReturnType<typeof resultsRepository>;
