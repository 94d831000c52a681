import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRosterCsv } from '../../src/domain/roster-csv.ts';
import { isEmptyPlan, planRosterImport, type RosterPlan, type RosterState } from '../../src/domain/roster-plan.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/roster');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const empty = (): RosterState => ({ rootUnitId: 'root', units: [], people: [], memberships: [], roles: [] });

/** What applyRosterPlan does to the database, on the plain state (ids are made up). */
function simulateApply(state: RosterState, plan: RosterPlan): RosterState {
  const next: RosterState = structuredClone(state);
  let n = 0;
  const unitIds = new Map<string, string>();
  for (const u of plan.units.create) {
    const id = `u${++n}`;
    const parentId = u.parentId ?? (u.parentKey ? unitIds.get(u.parentKey)! : next.rootUnitId);
    next.units.push({ id, kind: u.kind, name: u.name, externalId: u.key, parentId, schoolLevel: u.schoolLevel });
    unitIds.set(u.key, id);
  }
  for (const u of plan.units.update) {
    const unit = next.units.find((x) => x.id === u.id)!;
    if (u.set.name) unit.name = u.set.name;
    if (u.set.externalId) unit.externalId = u.set.externalId;
    if (u.set.schoolLevel) unit.schoolLevel = u.set.schoolLevel;
    if (u.set.parent) unit.parentId = u.set.parent.id ?? unitIds.get(u.set.parent.key)!;
    unitIds.set(u.key, u.id);
  }
  const personIds = new Map<string, string>();
  for (const p of plan.people.update) {
    const person = next.people.find((x) => x.id === p.id)!;
    Object.assign(person, p.set);
    personIds.set(p.email, p.id);
  }
  for (const p of plan.people.create) {
    const id = `p${++n}`;
    next.people.push({ id, email: p.email, name: p.name, staffRole: p.staffRole, aadObjectId: p.aadObjectId });
    personIds.set(p.email, id);
  }
  for (const m of plan.memberships) next.memberships.push({ personId: m.personId ?? personIds.get(m.email)!, unitId: m.unitId ?? unitIds.get(m.unitKey)! });
  for (const r of plan.roles) next.roles.push({ personId: r.personId ?? personIds.get(r.email)!, unitId: r.unitId ?? unitIds.get(r.unitKey)!, role: r.role });
  return next;
}

describe('planRosterImport', () => {
  const good = () => parseRosterCsv(fixture('good.csv')).rows;

  it('plans units (kommune before schools), people, memberships and non-staff roles for an empty tenant', () => {
    const plan = planRosterImport(good(), empty());
    expect(plan.errors).toEqual([]);
    expect(plan.units.create.map((u) => [u.kind, u.key, u.parentKey, u.schoolLevel])).toEqual([
      ['municipality', 'municipality:fjordvik kommune', null, null],
      ['school', 'school:fjordvik barneskole', 'municipality:fjordvik kommune', 'barnetrinn'],
      ['school', 'school:fjordvik ungdomsskole', 'municipality:fjordvik kommune', 'ungdomstrinn'],
    ]);
    expect(plan.counts).toEqual({ rows: 12, unitsCreated: 3, unitsUpdated: 0, peopleCreated: 12, peopleUpdated: 0, peopleUnchanged: 0, membershipsAdded: 12, rolesAdded: 3 });
    expect(plan.roles.map((r) => [r.email, r.role, r.unitKey])).toEqual([
      ['per.rektor@fjordvik.example.no', 'leader', 'school:fjordvik barneskole'],
      ['lise.strand@fjordvik.example.no', 'leader', 'school:fjordvik ungdomsskole'],
      ['mona.lie@fjordvik.example.no', 'coordinator', 'school:fjordvik ungdomsskole'],
    ]);
  });

  it('is deterministic and empty once applied (idempotent re-import)', () => {
    const rows = good();
    const first = planRosterImport(rows, empty());
    expect(planRosterImport(rows, empty())).toEqual(first);
    const after = simulateApply(empty(), first);
    const second = planRosterImport(rows, after);
    expect(isEmptyPlan(second)).toBe(true);
    expect(second.counts.peopleUnchanged).toBe(12);
    // Order of the database rows does not matter.
    const shuffled = { ...after, units: [...after.units].reverse(), people: [...after.people].reverse() };
    expect(planRosterImport(rows, shuffled)).toEqual(second);
  });

  it('adopts an existing unit of the same kind and name, and moves it under the kommune', () => {
    const state: RosterState = { ...empty(), units: [{ id: 'old', kind: 'school', name: 'Fjordvik Barneskole', externalId: null, parentId: 'root', schoolLevel: null }] };
    const plan = planRosterImport(good(), state);
    expect(plan.units.create.map((u) => u.key)).toEqual(['municipality:fjordvik kommune', 'school:fjordvik ungdomsskole']);
    expect(plan.units.update).toEqual([
      {
        id: 'old', key: 'school:fjordvik barneskole', kind: 'school', name: 'Fjordvik barneskole',
        set: { externalId: 'school:fjordvik barneskole', name: 'Fjordvik barneskole', schoolLevel: 'barnetrinn', parent: { key: 'municipality:fjordvik kommune', id: null } },
      },
    ]);
    expect(isEmptyPlan(planRosterImport(good(), simulateApply(state, plan)))).toBe(true);
  });

  it('updates names, fills a missing staff role but keeps an existing one (with a note), and links by object id', () => {
    const rows = parseRosterCsv(
      'e-post;navn;skole;stilling;objekt-id\n' +
        'kari@x.no;Kari Nordmann;A;lærer;\n' +
        'ola@x.no;Ola;A;assistent;\n' +
        'per@x.no;Per;A;;6f1c2d3e-0000-4000-8000-000000000003\n',
    ).rows;
    const state: RosterState = {
      ...empty(),
      units: [{ id: 'a', kind: 'school', name: 'A', externalId: 'school:a', parentId: 'root', schoolLevel: null }],
      people: [
        { id: 'k', email: 'Kari@X.no', aadObjectId: null, name: 'Kari', staffRole: null },
        { id: 'o', email: 'ola@x.no', aadObjectId: null, name: 'Ola', staffRole: 'teacher' },
        // Seen in Teams (object id, no email) before the import.
        { id: 'p', email: null, aadObjectId: '6F1C2D3E-0000-4000-8000-000000000003', name: 'Per H', staffRole: null },
      ],
      memberships: [{ personId: 'o', unitId: 'a' }],
    };
    const plan = planRosterImport(rows, state);
    expect(plan.errors).toEqual([]);
    expect(plan.people.create).toEqual([]);
    expect(plan.people.update.map((p) => [p.id, p.set])).toEqual([
      ['k', { name: 'Kari Nordmann', staffRole: 'teacher' }],
      ['p', { name: 'Per', email: 'per@x.no' }],
    ]);
    expect(plan.counts.peopleUnchanged).toBe(1);
    expect(plan.notes.map((n) => n.message)).toEqual(['Linje 3: ola@x.no har allerede stillingen «lærer»; den beholdes (kept), ikke «assistent»']);
    expect(plan.memberships.map((m) => [m.personId, m.unitId])).toEqual([['k', 'a'], ['p', 'a']]);
  });

  it('refuses rows that contradict the database (email and object id belong to different people)', () => {
    const rows = parseRosterCsv('e-post;navn;skole;objectid\nkari@x.no;Kari;A;6f1c2d3e-0000-4000-8000-000000000001\n').rows;
    const state: RosterState = {
      ...empty(),
      people: [
        { id: 'k', email: 'kari@x.no', aadObjectId: null, name: 'Kari', staffRole: null },
        { id: 'z', email: null, aadObjectId: '6f1c2d3e-0000-4000-8000-000000000001', name: 'Someone', staffRole: null },
      ],
    };
    expect(planRosterImport(rows, state).errors.map((e) => e.message)).toEqual([
      'Linje 2: e-post «kari@x.no» tilhører en annen person i databasen enn objekt-id «6f1c2d3e-0000-4000-8000-000000000001»',
    ]);
  });
});
