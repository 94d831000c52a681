import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRosterCsv } from '../../src/domain/roster-csv.ts';
import { planRosterImport, type RosterState } from '../../src/domain/roster-plan.ts';
import { formatRosterReport } from '../../src/domain/roster-report.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/roster');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const empty = (): RosterState => ({ rootUnitId: 'root', units: [], people: [], memberships: [], roles: [] });

describe('formatRosterReport', () => {
  it('the report lists errors with line numbers and the counts', () => {
    const parsed = parseRosterCsv(fixture('bad.csv'));
    const report = formatRosterReport(parsed, planRosterImport(parsed.rows, empty()));
    expect(report).toContain('Feil (errors): 4');
    expect(report).toContain('  Linje 3: ugyldig e-post «kari@»');
    expect(report).toContain('Personer som opprettes (people to create): 2');
    expect(report).toContain('Roller som legges til (roles to add): 1');
  });
});
