import type { SchoolLevel, StaffRole } from '../../domain/profile.ts';
import type { PupilGroup } from '../../question-bank/schema.ts';
import type { Rng } from './random.ts';
import type { DemoPerson, DemoRole, DemoUnit } from './types.ts';

/**
 * The demo organisation: Fjordvik kommune, its four schools and their staff,
 * with names, e-mail addresses, profiles and roles drawn deterministically.
 */

export const DEMO_EXTERNAL_PREFIX = 'demo:';
export const DEMO_MUNICIPALITY = 'Fjordvik kommune';
export const DEMO_EMAIL_DOMAIN = 'fjordvik.kommune.no';

type SchoolSpec = {
  key: string;
  name: string;
  level: SchoolLevel;
  /** Oslo weekday (1 = Monday) and time of the school's common time, when its pulses open. */
  slot: { weekday: number; time: string };
  staff: Partial<Record<StaffRole, number>>;
};

/**
 * Staff-group sizes as in a real school: many teachers, a handful of BUA and
 * assistants, one SFO leader, one or two miljøterapeuter. Several groups have
 * 1–4 people, which the k rule must suppress.
 */
export const DEMO_SCHOOLS: readonly SchoolSpec[] = [
  {
    key: 'nordvik-skole',
    name: 'Nordvik skole',
    level: 'barnetrinn',
    slot: { weekday: 2, time: '14:00' },
    staff: { teacher: 26, leader: 3, child_youth_worker: 6, school_assistant: 8, unqualified_teacher: 1, sfo_leader: 1, special_support: 1 },
  },
  {
    key: 'lia-skole',
    name: 'Lia skole',
    level: 'barnetrinn',
    slot: { weekday: 3, time: '14:00' },
    staff: { teacher: 20, leader: 2, child_youth_worker: 4, school_assistant: 5, unqualified_teacher: 2, sfo_leader: 1, special_support: 1 },
  },
  {
    key: 'fjordvik-ungdomsskole',
    name: 'Fjordvik ungdomsskole',
    level: 'ungdomstrinn',
    slot: { weekday: 3, time: '14:30' },
    staff: { teacher: 31, leader: 3, child_youth_worker: 3, school_assistant: 4, special_support: 2 },
  },
  {
    key: 'fjordvik-vgs',
    name: 'Fjordvik vgs',
    level: 'kombinert',
    slot: { weekday: 4, time: '14:00' },
    staff: { teacher: 34, leader: 3, child_youth_worker: 5, school_assistant: 7, unqualified_teacher: 2, special_support: 2 },
  },
];

export const ROLE_ORDER: readonly StaffRole[] = ['leader', 'teacher', 'unqualified_teacher', 'child_youth_worker', 'school_assistant', 'sfo_leader', 'special_support', 'other'];

/** BUA and assistants: the school-environment staff the seeds single out. */
export const SCHOOL_ENV_ROLES: ReadonlySet<StaffRole> = new Set(['child_youth_worker', 'school_assistant']);

const FEMALE = [
  'Anne', 'Inger', 'Kari', 'Marit', 'Ingrid', 'Liv', 'Eva', 'Berit', 'Astrid', 'Hilde', 'Anna', 'Solveig', 'Marianne', 'Randi', 'Ida',
  'Nina', 'Ragnhild', 'Elisabeth', 'Kristin', 'Bente', 'Heidi', 'Silje', 'Hanne', 'Tone', 'Camilla', 'Ingeborg', 'Mari', 'Julie', 'Line',
  'Maria', 'Sissel', 'Tove', 'Grete', 'Turid', 'Åse', 'Siri', 'Kristine', 'Malin', 'Hege', 'Guro', 'Synnøve', 'Marte', 'Thea', 'Emilie',
  'Sara', 'Nora', 'Amalie', 'Mette', 'Lene', 'Vigdis', 'Torunn', 'Maren', 'Stine', 'Trine', 'Anne-Lise', 'Fatima', 'Amina', 'Agnieszka', 'Linh',
];
const MALE = [
  'Jan', 'Per', 'Bjørn', 'Ole', 'Lars', 'Kjell', 'Knut', 'Arne', 'Svein', 'Thomas', 'Hans', 'Geir', 'Tor', 'Morten', 'Terje', 'Erik',
  'Martin', 'Andreas', 'Rune', 'Trond', 'Anders', 'Jon', 'Harald', 'Espen', 'Øyvind', 'Magnus', 'Even', 'Sindre', 'Henrik', 'Eirik',
  'Jonas', 'Kristian', 'Stian', 'Vegard', 'Håkon', 'Sigurd', 'Ali', 'Tomasz',
];
const LAST = [
  'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen', 'Karlsen', 'Johnsen', 'Pettersen',
  'Eriksen', 'Berg', 'Haugen', 'Hagen', 'Johannessen', 'Andreassen', 'Jacobsen', 'Dahl', 'Jørgensen', 'Henriksen', 'Lund', 'Halvorsen',
  'Sørensen', 'Moen', 'Gundersen', 'Iversen', 'Strand', 'Solberg', 'Svendsen', 'Eide', 'Knutsen', 'Martinsen', 'Paulsen', 'Bakken',
  'Mathisen', 'Lie', 'Amundsen', 'Nguyen', 'Rasmussen', 'Lunde', 'Solheim', 'Berge', 'Moe', 'Nygård', 'Bakke', 'Fredriksen', 'Holm',
  'Lien', 'Hauge', 'Næss', 'Vik', 'Haug', 'Sæther', 'Aas', 'Myhre', 'Haugland', 'Sandvik', 'Rønning', 'Tangen', 'Ødegård', 'Brekke',
  'Tveit', 'Aune', 'Birkeland', 'Myklebust', 'Ahmed', 'Nowak', 'Hussain', 'Strøm', 'Ruud',
];

/** Share of women per role (school staff are mostly women, leaders less so). */
const FEMALE_SHARE: Record<StaffRole, number> = {
  teacher: 0.72, leader: 0.6, child_youth_worker: 0.82, school_assistant: 0.78, unqualified_teacher: 0.6, sfo_leader: 0.9, special_support: 0.75, other: 0.6,
};

/** How likely each role is to work with a pupil group at all (003_…, Figur 4.2/4.3). */
const PUPIL_GROUP_SHARE: Record<StaffRole, Record<PupilGroup, number>> = {
  teacher: { newly_arrived: 0.45, high_absence: 0.6, bullied: 0.55, hard_time_home: 0.6, mental_health: 0.6, acting_out: 0.6, special_needs: 0.7 },
  leader: { newly_arrived: 0.35, high_absence: 0.5, bullied: 0.5, hard_time_home: 0.4, mental_health: 0.4, acting_out: 0.45, special_needs: 0.4 },
  child_youth_worker: { newly_arrived: 0.4, high_absence: 0.45, bullied: 0.55, hard_time_home: 0.6, mental_health: 0.65, acting_out: 0.8, special_needs: 0.9 },
  school_assistant: { newly_arrived: 0.4, high_absence: 0.4, bullied: 0.5, hard_time_home: 0.55, mental_health: 0.6, acting_out: 0.8, special_needs: 0.9 },
  unqualified_teacher: { newly_arrived: 0.45, high_absence: 0.5, bullied: 0.5, hard_time_home: 0.5, mental_health: 0.5, acting_out: 0.6, special_needs: 0.6 },
  sfo_leader: { newly_arrived: 0.35, high_absence: 0.2, bullied: 0.55, hard_time_home: 0.5, mental_health: 0.4, acting_out: 0.6, special_needs: 0.7 },
  special_support: { newly_arrived: 0.4, high_absence: 0.7, bullied: 0.6, hard_time_home: 0.8, mental_health: 0.85, acting_out: 0.8, special_needs: 0.85 },
  other: { newly_arrived: 0.3, high_absence: 0.3, bullied: 0.3, hard_time_home: 0.3, mental_health: 0.3, acting_out: 0.3, special_needs: 0.3 },
};

/** "Anne-Lise Sæther" → "anne-lise.saether". */
export function emailLocalPart(first: string, last: string): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replaceAll('æ', 'ae')
      .replaceAll('ø', 'o')
      .replaceAll('å', 'a')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9-]/g, '');
  return `${clean(first)}.${clean(last)}`;
}

export type RosterOptions = {
  /** The demo row id for a key (tenant-specific). */
  id: (key: string) => string;
  /** The seeded PRNG for a key (the same for every tenant). */
  rngFor: (key: string) => Rng;
  /** The tenant's root unit; the municipality goes below it. */
  rootUnitId: string;
  /** When profiles start to be saved (epoch ms); each person saves within four days of it. */
  profileBase: number;
};

export type Roster = { units: DemoUnit[]; people: DemoPerson[]; roles: DemoRole[]; coordinator: DemoPerson };

/** The municipality, its schools, everyone working there, and the leader and coordinator roles. */
export function generateRoster({ id, rngFor, rootUnitId, profileBase }: RosterOptions): Roster {
  const municipalityId = id('unit:municipality');
  const units: DemoUnit[] = [
    { id: municipalityId, kind: 'municipality', name: DEMO_MUNICIPALITY, parentId: rootUnitId, externalId: `${DEMO_EXTERNAL_PREFIX}fjordvik-kommune`, schoolLevel: null },
    ...DEMO_SCHOOLS.map((s): DemoUnit => ({
      id: id(`unit:${s.key}`),
      kind: 'school',
      name: s.name,
      parentId: municipalityId,
      externalId: `${DEMO_EXTERNAL_PREFIX}fjordvik-kommune/${s.key}`,
      schoolLevel: s.level,
    })),
  ];

  // People. Names are drawn without repeating an email address.
  const usedEmails = new Set<string>();
  const nameRng = rngFor('names');
  const drawName = (role: StaffRole): { name: string; email: string } => {
    for (let attempt = 0; ; attempt++) {
      const first = nameRng.pick(nameRng.chance(FEMALE_SHARE[role]) ? FEMALE : MALE);
      const last = nameRng.pick(LAST);
      const local = emailLocalPart(first, last) + (attempt >= 20 ? String(attempt - 18) : '');
      if (usedEmails.has(local)) continue;
      usedEmails.add(local);
      return { name: `${first} ${last}`, email: `${local}@${DEMO_EMAIL_DOMAIN}` };
    }
  };

  const people: DemoPerson[] = [];
  const roles: DemoRole[] = [];
  const newPerson = (key: string, role: StaffRole, level: SchoolLevel | null, unitId: string, schoolId: string | null): DemoPerson => {
    const rng = rngFor(`person:${key}`);
    const groups = PUPIL_GROUP_SHARE[role];
    const levelShift = (g: PupilGroup) =>
      (level?.startsWith('vgs') && (g === 'high_absence' || g === 'mental_health') ? 0.15 : 0) - (level === 'barnetrinn' && g === 'high_absence' ? 0.15 : 0);
    const pupilGroups = (Object.keys(groups) as PupilGroup[]).filter((g) => rng.chance(groups[g] + levelShift(g)));
    const { name, email } = drawName(role);
    return {
      id: id(`person:${key}`),
      key,
      name,
      email,
      staffRole: role,
      schoolLevel: level,
      pupilGroups,
      profileSavedAt: new Date(profileBase + rng.int(0, 4 * 24 * 60) * 60_000),
      unitId,
      schoolId,
      traits: { competence: rng.normal() * 0.45, response: (rng.next() - 0.5) * 0.2, barrier: (rng.next() - 0.5) * 0.16 },
    };
  };

  const coordinator = newPerson('coordinator', 'other', null, municipalityId, null);
  people.push(coordinator);
  roles.push({ personId: coordinator.id, unitId: municipalityId, role: 'coordinator' });

  for (const school of DEMO_SCHOOLS) {
    const schoolId = id(`unit:${school.key}`);
    for (const role of ROLE_ORDER) {
      const n = school.staff[role] ?? 0;
      for (let i = 0; i < n; i++) {
        const key = `${school.key}:${role}:${i}`;
        // Fjordvik vgs has both programme areas; about half of everyone is on yrkesfag.
        const level: SchoolLevel =
          school.level === 'kombinert' ? (rngFor(`level:${key}`).chance(SCHOOL_ENV_ROLES.has(role) ? 0.65 : 0.5) ? 'vgs_yrkesfag' : 'vgs_studieforberedende') : school.level;
        const person = newPerson(key, role, level, schoolId, schoolId);
        people.push(person);
        // The first leader is the principal (rektor), with the leader role on the school.
        if (role === 'leader' && i === 0) roles.push({ personId: person.id, unitId: schoolId, role: 'leader' });
      }
    }
  }

  return { units, people, roles, coordinator };
}
