import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';
import { seedAnsweredPulse, type SeedGroup } from '../helpers/seed-pulse.ts';

// Three leaks an independent tester found in what a leader is shown (cards and
// CSV), reproduced over HTTP and asserted closed. Each scenario has its own
// school and a leader whose role covers only that school, so the rounds of
// different scenarios never meet (a round spans the viewer's units).
let h: Harness;
type User = ReturnType<typeof teamsUser>;
const K = 5;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function schoolWithLeader(name: string, key: string): Promise<{ unitId: string; leader: User }> {
  const prisma = h.db.prisma;
  const leader = teamsUser(key, { name: `Leder ${key}` });
  await h.send(leader.install());
  const root = await prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } });
  const unit = await prisma.orgUnit.create({ data: { tenantId: root.tenantId, parentId: root.id, kind: 'school', name, schoolLevel: 'kombinert' } });
  const person = await prisma.person.findFirstOrThrow({ where: { name: `Leder ${key}` } });
  await h.deps.directory.grantRole(person.id, unit.id, 'leader', person.id);
  return { unitId: unit.id, leader };
}

async function ask(user: User, text: string): Promise<string> {
  await h.send(user.say(text));
  return JSON.stringify(h.connector.sentActivities().at(-1));
}
/** «N svarte» on a results card, or null when the card shows no count. */
const svarte = (card: string) => (/(\d+) svarte/.exec(card) ? Number(/(\d+) svarte/.exec(card)![1]) : null);

/** The CSV behind the link on the `eksport` card, as rows of cells (header dropped). */
async function exportRows(user: User, text: string): Promise<string[][]> {
  const url = /"url":"([^"]+\/export\/[^"]+)"/.exec(await ask(user, text))![1]!;
  const res = await fetch(`${h.baseUrl}/export/${url.slice(url.lastIndexOf('/') + 1)}`);
  expect(res.status).toBe(200);
  const lines = (await res.text()).replace(/^\uFEFF/, '').split('\r\n').filter(Boolean).slice(1);
  return lines.map((l) => [...l.matchAll(/(?:^|;)("(?:[^"]|"")*"|[^;]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"')));
}
const groupName = (cell: string) => cell.replace(/^(Rolle|Skolenivå): /, '');
const num = (cell: string | undefined) => (cell && /^\d+$/.test(cell) ? Number(cell) : null);

/** Rank of a small 0/1 matrix (test oracle; floats are exact enough at this size). */
function rank(rows: number[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  for (let c = 0; c < (m[0]?.length ?? 0) && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && Math.abs(row[c]!) > 1e-9);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p]!, m[r]!];
    for (let i = 0; i < m.length; i++) if (i !== r) m[i] = m[i]!.map((v, j) => v - (m[i]![c]! / m[r]![c]!) * m[r]![j]!);
    r++;
  }
  return r;
}
/** Sets of atoms with 1..k−1 people that adding/subtracting the published groups gives. */
function smallDerivableSets(published: number[][], weights: number[]): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << weights.length; mask++) {
    const set = weights.map((_, a) => (mask >> a) & 1);
    const people = set.reduce((s, x, a) => s + x * weights[a]!, 0);
    if (people >= 1 && people < K && published.length > 0 && rank([...published, set]) === rank(published)) out.push(set);
  }
  return out;
}

describe('leak 1: two breakdowns of the same round subtract', () => {
  // Atoms (people alike in role, level and school): teachers@barnetrinn 6, SFO leader@barnetrinn 1, BUA@ungdomstrinn 5, assistants@ungdomstrinn 5.
  const WEIGHTS = [6, 1, 5, 5];
  const GROUPS: Record<string, number[]> = {
    'Alle ansatte': [1, 1, 1, 1],
    Lærer: [1, 0, 0, 0],
    'SFO-leder eller baseleder': [0, 1, 0, 0],
    'Barne- og ungdomsarbeider': [0, 0, 1, 0],
    'Assistent eller miljøarbeider': [0, 0, 0, 1],
    Barnetrinn: [1, 1, 0, 0],
    Ungdomstrinn: [0, 0, 1, 1],
  };
  const contains = (big: string, small: string) => big !== small && GROUPS[big]!.every((x, a) => x >= GROUPS[small]![a]!);

  // Old behaviour: the rule was applied per breakdown. The role breakdown showed
  // «Lærer: 6 svarte», the level breakdown «Barnetrinn: 7 svarte»; in the CSVs
  // e.g. Lærer kompetanse 0;0;0;6;0 and Barnetrinn kompetanse 1;0;0;6;0, so
  // Barnetrinn − Lærer = 1;0;0;0;0: the one SFO leader answered 1 on every
  // competence item and 5 on every importance item.
  it('never publishes both «Lærer 6» and «Barnetrinn 7», nor any figures that subtract to the SFO leader', async () => {
    const { unitId, leader } = await schoolWithLeader('Leknes skole', 'leknes');
    const groups: SeedGroup[] = [
      ['teacher', 6, () => 4, 'barnetrinn'],
      ['sfo_leader', 1, (item) => (item.startsWith('competence') ? 1 : 5), 'barnetrinn'],
      ['child_youth_worker', 5, () => 3, 'ungdomstrinn'],
      ['school_assistant', 5, () => 2, 'ungdomstrinn'],
    ];
    await seedAnsweredPulse(h.db, { unitId, groups, prefix: 'lek' });

    // People per group, from every card and both files; null = shown as hidden.
    const people = new Map<string, number | null>();
    const note = (group: string, n: number | null, where: string) => {
      expect(GROUPS[group], `unknown group ${group} in ${where}`).toBeDefined();
      if (people.has(group)) expect(n, `${group}: card and CSV agree (${where})`).toBe(people.get(group));
      people.set(group, n);
    };
    const cards: Array<[string, string]> = [
      ['resultater', 'Alle ansatte'],
      ['resultater for lærere', 'Lærer'],
      ['resultater for barnetrinnet', 'Barnetrinn'],
      ['resultater for ungdomstrinnet', 'Ungdomstrinn'],
      ['resultater for BUA', 'Barne- og ungdomsarbeider'],
      ['resultater for assistenter', 'Assistent eller miljøarbeider'],
      ['resultater for SFO-ledere', 'SFO-leder eller baseleder'],
    ];
    for (const [text, group] of cards) {
      const card = await ask(leader, text);
      expect(card, text).toContain('Leknes skole');
      const n = svarte(card);
      if (n === null && group !== 'Alle ansatte') expect(card, text).toMatch(new RegExp(`${group}: (for få svar til å vise resultater|skjult\\. Sammen med tall som alt er vist)`));
      note(group, n, text);
    }
    expect(people.get('SFO-leder eller baseleder')).toBeNull();

    // Questions per group, from both files: type|question → group → answers (null = «for få svar»).
    const answers = new Map<string, Map<string, number | null>>();
    const tooDetailed: string[] = [];
    for (const text of ['eksport', 'eksport nivå']) {
      const rows = await exportRows(leader, text);
      for (const row of rows) {
        const group = groupName(row[0]!);
        if (row[1] === 'gruppe') {
          expect(['for få svar', String(num(row[3]))], `${text}: ${row.join(';')}`).toContain(row[3]);
          note(group, num(row[3]), text);
          continue;
        }
        const n = num(row[3]);
        if (n !== null && n < 2 * K && [row[4], ...row.slice(7)].join('') !== '') tooDetailed.push(`${text}: ${row.join(';')}`);
        const key = `${row[1]}|${row[2]}`;
        answers.set(key, (answers.get(key) ?? new Map()).set(group, n));
      }
      if (text === 'eksport') expect(rows.some((r) => r[0]!.startsWith('Rolle: ')), 'role breakdown').toBe(true);
      else expect(rows.some((r) => r[0]!.startsWith('Skolenivå: ')), 'level breakdown').toBe(true);
    }

    // The specific pair the tester subtracted.
    expect(people.get('Lærer') === 6 && people.get('Barnetrinn') === 7, `Lærer ${people.get('Lærer')}, Barnetrinn ${people.get('Barnetrinn')}`).toBe(false);
    // Any published pair where one group contains the other must not differ by 1..k−1,
    // and no small set follows from all published groups together — for the people and per question.
    const check = (shown: Map<string, number | null>, what: string) => {
      const published = [...shown].filter(([, n]) => n !== null) as Array<[string, number]>;
      for (const [big, nBig] of published)
        for (const [small, nSmall] of published)
          if (contains(big, small)) expect(nBig - nSmall >= 1 && nBig - nSmall < K, `${what}: ${big} ${nBig} − ${small} ${nSmall}`).toBe(false);
      expect(smallDerivableSets(published.map(([g]) => GROUPS[g]!), WEIGHTS), `${what}: ${published.map(([g, n]) => `${g} ${n}`).join(', ')}`).toEqual([]);
    };
    check(people, 'people');
    expect(answers.size).toBeGreaterThan(0);
    for (const [question, shown] of answers) {
      check(shown, question);
      expect(shown.get('Lærer') != null && shown.get('Barnetrinn') != null, `${question}: Barnetrinn − Lærer`).toBe(false);
    }
    // Under 2k answers a question has no mean and no per-scale-point counts (the shares are on the card too).
    expect(tooDetailed).toEqual([]);
  });
});

describe('leak 2: several pulses of one template in one unit were one round', () => {
  // Old behaviour: both weekly pulses (closing 1 and 8 November) made one round,
  // each person counted once per pulse: «Assistent eller miljøarbeider: 6 svarte»,
  // 100 % agreeing, though only 3 assistants exist (under k); whole staff 18 for 9 people.
  it('counts the latest pulse only: 3 assistants stay hidden and the staff count is the 9 people', async () => {
    const { unitId, leader } = await schoolWithLeader('Vestby skole', 'vestby');
    const groups: SeedGroup[] = [
      ['teacher', 6, () => 4],
      ['school_assistant', 3, () => 5],
    ];
    for (const closesAt of ['2026-11-01T15:00:00Z', '2026-11-08T15:00:00Z']) {
      await seedAnsweredPulse(h.db, { unitId, groups, templateId: 'hindringer-tilrettelegging', closesAt: new Date(closesAt), prefix: 'vest', reusePeople: true });
    }
    expect(await h.db.prisma.person.count({ where: { teamsUserId: { startsWith: '29:vest-' } } })).toBe(9);

    const all = await ask(leader, 'resultater');
    expect(all).toContain('Resultater: Hindringer – tilrettelegging på skolen');
    expect(svarte(all)).toBe(9);
    expect(all).toMatch(/"title":"Assistent eller miljøarbeider","value":"for få svar \(under 5\)"/);
    const assistantCards = [await ask(leader, 'resultater for assistenter'), await ask(leader, 'hindringer for assistenter')];
    for (const card of assistantCards) {
      expect(card).toContain('Assistent eller miljøarbeider: for få svar til å vise resultater');
      expect(card).not.toMatch(/\d+ svarte/);
      expect(card).not.toContain('100 %');
    }
    for (const card of [all, ...assistantCards, await ask(leader, 'resultater for lærere')]) expect(card).not.toMatch(/\b(6|12|18) svarte/);

    const csv = (await exportRows(leader, 'eksport')).map((r) => r.join(';'));
    expect(csv).toContain('Alle ansatte;gruppe;(personer som svarte);9;;;;;;;;');
    expect(csv).toContain('Rolle: Assistent eller miljøarbeider;gruppe;(alle spørsmål);for få svar;;;;;;;;');
    expect(csv.filter((l) => l.startsWith('Rolle: Assistent'))).toHaveLength(1);
  });
});

describe('leak 3: a round against the round before', () => {
  const teacher = () => 3;
  const bua = () => 4;
  // A teacher with a need on every theme: competence 1, importance 5.
  const needy = (item: string) => (item.startsWith('competence') ? 1 : item.startsWith('importance') ? 5 : 3);
  const round1: SeedGroup[] = [
    ['teacher', 6, teacher],
    ['child_youth_worker', 6, bua],
  ];

  // Old behaviour: round 1 showed «Lærer: 6 svarte» (no needs), round 2 «Lærer: 7 svarte»
  // with each theme at 14 % need, and `trend for lærere` «Digitale krenkelser: 0 % → 14 %»:
  // 7 − 6 = the new teacher, who has a need on every theme. Likewise whole staff 12 → 13.
  it('one teacher more than last time: teachers (and whole staff) are hidden, and trend shows no line', async () => {
    const { unitId, leader } = await schoolWithLeader('Østby skole', 'ostby');
    await seedAnsweredPulse(h.db, { unitId, groups: round1, closesAt: new Date('2026-10-01T15:00:00Z'), prefix: 'ost', reusePeople: true });
    expect(svarte(await ask(leader, 'resultater for lærere'))).toBe(6);
    expect(svarte(await ask(leader, 'resultater'))).toBe(12);

    // Round 2: the same 12 answer exactly as before, and a seventh teacher joins.
    await seedAnsweredPulse(h.db, { unitId, groups: [...round1, ['teacher', 1, needy]], closesAt: new Date('2026-11-08T15:00:00Z'), prefix: 'ost', reusePeople: true });
    const teachers = await ask(leader, 'resultater for lærere');
    expect(teachers).toContain('Lærer: skjult. Sammen med tall som alt er vist');
    expect(teachers).not.toMatch(/\d+ svarte/);
    expect(svarte(await ask(leader, 'resultater')), 'whole staff 13 after 12').not.toBe(13);
    for (const text of ['trend for lærere', 'trend']) {
      const trend = await ask(leader, text);
      expect(trend, text).toContain('Utvikling: Læringsmiljø – behov');
      expect(trend, text).not.toMatch(/\d+ % → \d+ %/);
    }
    const csv = (await exportRows(leader, 'eksport')).map((r) => r.join(';'));
    expect(csv).toContain('Rolle: Lærer;gruppe;(alle spørsmål);for få svar;;;;;;;;');
    expect(csv.some((l) => /^(Rolle: Lærer|Alle ansatte);gruppe;\(personer som svarte\);(7|13);/.test(l)), csv.join('\n')).toBe(false);
  });

  // Not «hide everything»: with k or more new teachers, round 2's teachers are shown and compared.
  it('five new teachers: the teachers are shown again, with a trend line', async () => {
    const { unitId, leader } = await schoolWithLeader('Sørby skole', 'sorby');
    await seedAnsweredPulse(h.db, { unitId, groups: round1, closesAt: new Date('2026-10-01T15:00:00Z'), prefix: 'sor', reusePeople: true });
    expect(svarte(await ask(leader, 'resultater for lærere'))).toBe(6);
    await seedAnsweredPulse(h.db, { unitId, groups: [...round1, ['teacher', 5, needy]], closesAt: new Date('2026-11-08T15:00:00Z'), prefix: 'sor', reusePeople: true });
    expect(svarte(await ask(leader, 'resultater for lærere'))).toBe(11);
    expect(svarte(await ask(leader, 'resultater'))).toBe(17);
    // 0 of 6 teachers with a need → 5 of 11 = 45 %.
    expect(await ask(leader, 'trend for lærere')).toMatch(/Digitale krenkelser: høyst 17 % → 45 % \(/); // 6 teachers before: «0 %» would say what each answered
  });
});
