import type { AppRole } from './commands.ts';
import type { SchoolLevel, StaffRole } from './profile.ts';
import { rowError, STAFF_ROLE_LABELS, unitKey, type RosterRow, type RosterUnitKind, type RowError } from './roster-csv.ts';

/**
 * Roster import planning: given the parsed rows and the database state,
 * decides what would change. Pure, so the dry-run report and `--apply`
 * always use the same plan.
 */

export type ExistingUnit = { id: string; kind: string; name: string; externalId: string | null; parentId: string | null; schoolLevel: string | null };
export type ExistingPerson = { id: string; email: string | null; aadObjectId: string | null; name: string | null; staffRole: string | null };

/** What the database holds for one tenant, as far as the import cares. */
export type RosterState = {
  /** The tenant's `organisation` unit; null when the tenant does not exist yet. */
  rootUnitId: string | null;
  units: ExistingUnit[];
  people: ExistingPerson[];
  memberships: { personId: string; unitId: string }[];
  roles: { personId: string; unitId: string; role: string }[];
};

export type UnitCreate = {
  key: string;
  kind: RosterUnitKind;
  name: string;
  /** Parent by key; null = the tenant root. `parentId` is set when the parent already exists. */
  parentKey: string | null;
  parentId: string | null;
  schoolLevel: SchoolLevel | null;
};

export type UnitUpdate = {
  id: string;
  key: string;
  kind: RosterUnitKind;
  name: string;
  set: { name?: string; externalId?: string; schoolLevel?: SchoolLevel; parent?: { key: string; id: string | null } };
};

export type PersonCreate = { line: number; email: string; name: string; staffRole: StaffRole | null; aadObjectId: string | null };
export type PersonUpdate = {
  line: number;
  id: string;
  email: string;
  name: string;
  set: { name?: string; email?: string; staffRole?: StaffRole; aadObjectId?: string };
};

/** `personId`/`unitId` are set when they already exist; otherwise resolved by email/key when applying. */
export type MembershipAdd = { line: number; email: string; personId: string | null; unitKey: string; unitId: string | null };
export type RoleAdd = MembershipAdd & { role: AppRole };

export type RosterCounts = {
  rows: number;
  unitsCreated: number;
  unitsUpdated: number;
  peopleCreated: number;
  peopleUpdated: number;
  peopleUnchanged: number;
  membershipsAdded: number;
  rolesAdded: number;
};

export type RosterPlan = {
  units: { create: UnitCreate[]; update: UnitUpdate[] };
  people: { create: PersonCreate[]; update: PersonUpdate[] };
  memberships: MembershipAdd[];
  roles: RoleAdd[];
  /** Things the import leaves alone on purpose (e.g. a staff role the person already has). */
  notes: RowError[];
  /** Rows that contradict the database; the plan must not be applied while there are any. */
  errors: RowError[];
  counts: RosterCounts;
};

const KIND_ORDER: Record<RosterUnitKind, number> = { county: 0, municipality: 1, school: 2 };

type WantedUnit = { key: string; kind: RosterUnitKind; name: string; parentKey: string | null; schoolLevel: SchoolLevel | null };

/** The units the rows mention, each with the first spelling, parent and level given in the file. */
function wantedUnits(rows: readonly RosterRow[]): Map<string, WantedUnit> {
  const units = new Map<string, WantedUnit>();
  for (const row of rows) {
    const chain: [RosterUnitKind, string | null][] = [['county', row.county], ['municipality', row.municipality], ['school', row.school]];
    let parentKey: string | null = null;
    for (const [kind, name] of chain) {
      if (name === null) continue;
      const key = unitKey(kind, name);
      const u = units.get(key) ?? { key, kind, name, parentKey: null, schoolLevel: null };
      if (u.parentKey === null) u.parentKey = parentKey;
      if (kind === 'school' && u.schoolLevel === null) u.schoolLevel = row.schoolLevel;
      units.set(key, u);
      parentKey = key;
    }
  }
  return units;
}

/**
 * What importing `rows` would change, given the database state. Additive:
 * nothing is deleted, memberships and roles not in the file are kept, and a
 * staff role a person already has is not overwritten. Deterministic, and
 * empty when the same rows are imported again.
 */
export function planRosterImport(rows: readonly RosterRow[], existing: RosterState): RosterPlan {
  const plan: RosterPlan = {
    units: { create: [], update: [] },
    people: { create: [], update: [] },
    memberships: [],
    roles: [],
    notes: [],
    errors: [],
    counts: { rows: rows.length, unitsCreated: 0, unitsUpdated: 0, peopleCreated: 0, peopleUpdated: 0, peopleUnchanged: 0, membershipsAdded: 0, rolesAdded: 0 },
  };

  // Units: by key (externalId), else adopt an unkeyed unit of the same kind and name.
  const wanted = [...wantedUnits(rows).values()].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byKey = new Map(existing.units.filter((u) => u.externalId).map((u) => [u.externalId!, u]));
  const adoptable = [...existing.units].filter((u) => !u.externalId).sort((a, b) => (a.id < b.id ? -1 : 1));
  const unitIds = new Map<string, string>();
  const matched = new Map<string, ExistingUnit>();
  for (const w of wanted) {
    const found = byKey.get(w.key) ?? adoptable.find((u) => u.kind === w.kind && unitKey(w.kind, u.name) === w.key && ![...matched.values()].includes(u));
    if (found) {
      matched.set(w.key, found);
      unitIds.set(w.key, found.id);
    }
  }
  for (const w of wanted) {
    const found = matched.get(w.key);
    const parentId = w.parentKey ? (unitIds.get(w.parentKey) ?? null) : null;
    if (!found) {
      plan.units.create.push({ key: w.key, kind: w.kind, name: w.name, parentKey: w.parentKey, parentId, schoolLevel: w.schoolLevel });
      continue;
    }
    const set: UnitUpdate['set'] = {};
    if (found.externalId !== w.key) set.externalId = w.key;
    if (found.name !== w.name) set.name = w.name;
    if (w.schoolLevel && found.schoolLevel !== w.schoolLevel) set.schoolLevel = w.schoolLevel;
    if (w.parentKey && (parentId === null || found.parentId !== parentId)) set.parent = { key: w.parentKey, id: parentId };
    if (Object.keys(set).length > 0) plan.units.update.push({ id: found.id, key: w.key, kind: w.kind, name: w.name, set });
  }

  // People: by Entra object id (stable), else by email.
  const byAad = new Map(existing.people.filter((p) => p.aadObjectId).map((p) => [p.aadObjectId!.toLowerCase(), p]));
  const byEmail = new Map(existing.people.filter((p) => p.email).map((p) => [p.email!.toLowerCase(), p]));
  const claimed = new Map<string, number>();
  const memberships = new Set(existing.memberships.map((m) => `${m.personId}|${m.unitId}`));
  const roles = new Set(existing.roles.map((r) => `${r.personId}|${r.unitId}|${r.role}`));

  for (const row of rows) {
    const viaAad = row.aadObjectId ? byAad.get(row.aadObjectId) : undefined;
    const viaEmail = byEmail.get(row.email);
    if (viaAad && viaEmail && viaAad.id !== viaEmail.id) {
      plan.errors.push(rowError(row.line, `e-post «${row.email}» tilhører en annen person i databasen enn objekt-id «${row.aadObjectId}»`));
      continue;
    }
    const person = viaAad ?? viaEmail;
    if (person && viaEmail && !viaAad && row.aadObjectId && person.aadObjectId && person.aadObjectId.toLowerCase() !== row.aadObjectId) {
      plan.errors.push(rowError(row.line, `personen med e-post «${row.email}» har en annen objekt-id i databasen («${person.aadObjectId}»)`));
      continue;
    }
    if (person) {
      const earlier = claimed.get(person.id);
      if (earlier !== undefined) {
        plan.errors.push(rowError(row.line, `e-post/objekt-id peker på samme person i databasen som linje ${earlier}`));
        continue;
      }
      claimed.set(person.id, row.line);
    }

    let personId: string | null = null;
    if (!person) {
      plan.people.create.push({ line: row.line, email: row.email, name: row.name, staffRole: row.staffRole, aadObjectId: row.aadObjectId });
    } else {
      personId = person.id;
      const set: PersonUpdate['set'] = {};
      if (person.name !== row.name) set.name = row.name;
      if ((person.email ?? '').toLowerCase() !== row.email) set.email = row.email;
      if (row.staffRole && !person.staffRole) set.staffRole = row.staffRole;
      if (row.staffRole && person.staffRole && person.staffRole !== row.staffRole) {
        const had = STAFF_ROLE_LABELS[person.staffRole as StaffRole] ?? person.staffRole;
        plan.notes.push(rowError(row.line, `${row.email} har allerede stillingen «${had}»; den beholdes (kept), ikke «${STAFF_ROLE_LABELS[row.staffRole]}»`));
      }
      if (row.aadObjectId && !person.aadObjectId) set.aadObjectId = row.aadObjectId;
      if (Object.keys(set).length > 0) plan.people.update.push({ line: row.line, id: person.id, email: row.email, name: row.name, set });
      else plan.counts.peopleUnchanged++;
    }

    const key = unitKey('school', row.school);
    const unitId = unitIds.get(key) ?? null;
    if (!personId || !unitId || !memberships.has(`${personId}|${unitId}`)) {
      plan.memberships.push({ line: row.line, email: row.email, personId, unitKey: key, unitId });
    }
    // Everyone is staff through their membership; only the other roles are stored.
    if (row.appRole !== 'staff' && (!personId || !unitId || !roles.has(`${personId}|${unitId}|${row.appRole}`))) {
      plan.roles.push({ line: row.line, email: row.email, personId, unitKey: key, unitId, role: row.appRole });
    }
  }

  plan.counts.unitsCreated = plan.units.create.length;
  plan.counts.unitsUpdated = plan.units.update.length;
  plan.counts.peopleCreated = plan.people.create.length;
  plan.counts.peopleUpdated = plan.people.update.length;
  plan.counts.membershipsAdded = plan.memberships.length;
  plan.counts.rolesAdded = plan.roles.length;
  return plan;
}

/** True when applying the plan would write nothing. */
export function isEmptyPlan(plan: RosterPlan): boolean {
  const c = plan.counts;
  return c.unitsCreated + c.unitsUpdated + c.peopleCreated + c.peopleUpdated + c.membershipsAdded + c.rolesAdded === 0;
}
