import type { StaffRole } from '../../domain/profile.ts';
import { buildPulseContent, itemsForPerson, type PulseContent } from '../../domain/pulse-content.ts';
import { osloLocalToInstant } from '../../domain/schedule.ts';
import type { QuestionBank } from '../../question-bank/schema.ts';
import { drawValue } from './answer-values.ts';
import { DAY, dateInWeek, DEMO_PULSES, plusDays } from './pulse-calendar.ts';
import type { Rng } from './random.ts';
import { DEMO_SCHOOLS } from './roster.ts';
import type { DemoAnswer, DemoData, DemoMessage, DemoPerson, DemoPulse, DemoRecipient } from './types.ts';

/** Chance of answering a pulse; BUA/assistants often work in SFO when the others have common time. */
const RESPONSE_BY_ROLE: Record<StaffRole, number> = {
  teacher: 0.78, leader: 0.92, child_youth_worker: 0.68, school_assistant: 0.66, unqualified_teacher: 0.72, sfo_leader: 0.75, special_support: 0.8, other: 0.8,
};
const COMMENT_RATE = 0.14;

/** Short, neutral comments without names, per template (and for barriers per kind of staff). */
const COMMENTS: Record<string, readonly string[]> = {
  'laringsmiljo-1': [
    'Vi trenger felles rutiner for hva vi gjør når vi oppdager digitale krenkelser.',
    'Ønsker mer kunnskap om hvordan vi kan snakke med elevene om nettbruk.',
    'Negativ sosial kontroll er vanskelig å oppdage. Trenger konkrete eksempler.',
    'Det er uklart hvem som har ansvaret når noe skjer på sosiale medier utenom skoletid.',
    'Fint om alle ansatte får samme opplæring, ikke bare lærerne.',
    'Vi har god kompetanse i teamet, men lite tid til å dele den.',
    'Trenger mer om hvordan vi følger opp særskilt sårbare elever over tid.',
    'Kompetansepakken om skolemiljø kunne vært brukt i fellestiden.',
    'Vanskelig å vite hvor grensen går for når vi skal melde fra.',
  ],
  'hindringer-tilrettelegging:staff': [
    'Det er vanskelig å få vikar når jeg jobber én-til-én med elever.',
    'Fellestiden er ofte når jeg er på SFO.',
    'Kurs må legges innenfor arbeidstiden for at jeg kan delta.',
    'Har ikke fått tilbud om kurs i denne stillingen.',
    'Ønsker å være med på kompetanseheving sammen med lærerne.',
    'Deltidsstilling gjør det vanskelig å delta på kurs.',
  ],
  'hindringer-tilrettelegging:teacher': [
    'Vikarbudsjettet er brukt opp tidlig i året.',
    'Gratis kompetansepakker i fellestiden passer bedre enn eksterne kurs.',
    'Videreutdanning er vanskelig å kombinere med full undervisning.',
    'God støtte fra ledelsen, men lite penger.',
    'Det er lettere å delta når hele kollegiet gjør det samtidig.',
  ],
  'elevgrupper-1': [
    'Vi har fått flere nyankomne elever i år og trenger mer om begynneropplæring i norsk.',
    'Fravær er en økende utfordring, særlig på høsten.',
    'Ønsker mer om samtaler med elever som har det vanskelig hjemme.',
    'Trenger mer kunnskap om samarbeid med barnevernet.',
    'Mobbesaker tar mye tid. Vi trenger felles rutiner.',
    'Tolk er ofte vanskelig å få tak i ved foreldresamtaler.',
    'Vi trenger bedre overganger mellom trinnene for elever med mye fravær.',
  ],
};

/** When a respondent answered: most soon after the card arrives, the rest after each reminder. */
function answerTime(rng: Rng, pulse: DemoPulse): Date {
  const open = pulse.opensAt.getTime();
  const u = rng.next();
  let t: number;
  if (u < 0.55) t = open + rng.int(3, 60 * 46) * 60_000;
  else if (u < 0.85) t = pulse.remindAt[0]!.getTime() + rng.int(2, 60 * 40) * 60_000;
  else t = pulse.remindAt[1]!.getTime() + rng.int(2, 60 * 20) * 60_000;
  return new Date(Math.min(t, pulse.closesAt.getTime() - 60_000));
}

export type PulseRunOptions = {
  /** The demo row id for a key (tenant-specific). */
  id: (key: string) => string;
  /** The seeded PRNG for a key (the same for every tenant). */
  rngFor: (key: string) => Rng;
  bank: QuestionBank;
  now: Date;
  /** Weeks before `now` of each pulse (demoPulseWeeks). */
  weeks: Map<string, number>;
  people: DemoPerson[];
  /** Who created the pulses. */
  createdById: string;
};

export type PulseRuns = Pick<DemoData, 'pulses' | 'recipients' | 'messages' | 'answers'>;

/**
 * The pulses every school ran (four each, opened in the school's common time,
 * two weeks to answer), who got them and their reminders, and the answers.
 */
export function generatePulseRuns({ id, rngFor, bank, now, weeks, people, createdById }: PulseRunOptions): PulseRuns {
  const pulses: DemoPulse[] = [];
  const recipients: DemoRecipient[] = [];
  const messages: DemoMessage[] = [];
  const answers: DemoAnswer[] = [];
  const contents = new Map<string, PulseContent>();
  const contentOf = (templateId: string) => {
    let c = contents.get(templateId);
    if (!c) contents.set(templateId, (c = buildPulseContent(bank, templateId)));
    return c;
  };

  for (const school of DEMO_SCHOOLS) {
    const schoolId = id(`unit:${school.key}`);
    const staff = people.filter((p) => p.unitId === schoolId);
    for (const spec of DEMO_PULSES) {
      const openDate = dateInWeek(now, weeks.get(spec.key)!, school.slot.weekday);
      const opensAt = osloLocalToInstant(openDate, school.slot.time);
      const closesAt = osloLocalToInstant(plusDays(openDate, 14), '16:00');
      const pulse: DemoPulse = {
        id: id(`pulse:${school.key}:${spec.key}`),
        unitId: schoolId,
        templateId: spec.templateId,
        content: contentOf(spec.templateId),
        opensAt,
        closesAt,
        remindAt: [new Date(opensAt.getTime() + 7 * DAY), new Date(closesAt.getTime() - DAY)],
        createdById,
      };
      pulses.push(pulse);

      staff.forEach((person, index) => {
        const items = itemsForPerson(pulse.content, person.pupilGroups);
        if (items.length === 0) return;
        const rng = rngFor(`answer:${spec.key}:${person.key}`);
        const pAnswer = RESPONSE_BY_ROLE[person.staffRole] + person.traits.response - (spec.round === 1 ? 0.04 : 0);
        const answeredAt = rng.chance(pAnswer) ? answerTime(rng, pulse) : null;
        recipients.push({ pulseId: pulse.id, personId: person.id, answeredAt });
        const message = (kind: DemoMessage['kind'], seq: number, at: Date) =>
          messages.push({ id: id(`outbox:${spec.key}:${person.key}:${kind}:${seq}`), pulseId: pulse.id, personId: person.id, kind, seq, sentAt: new Date(at.getTime() + 1500 + index * 40) });
        message('pulse', 0, opensAt);
        pulse.remindAt.forEach((at, i) => {
          if (!answeredAt || answeredAt > at) message('reminder', i + 1, at);
        });
        if (!answeredAt) return;
        const snapshot = { staffRole: person.staffRole, schoolLevel: person.schoolLevel, schoolId: person.schoolId };
        for (const item of items) {
          if (item.scale === null) {
            // The optional comment: some staff write one; leaders do not (so few that a comment would point at them).
            if (person.staffRole === 'leader' || !rng.chance(COMMENT_RATE)) continue;
            const pool = COMMENTS[spec.templateId] ?? COMMENTS[`${spec.templateId}:${person.staffRole === 'teacher' ? 'teacher' : 'staff'}`] ?? [];
            if (pool.length > 0) answers.push({ pulseId: pulse.id, personId: person.id, itemId: item.id, value: null, comment: rng.pick(pool), ...snapshot, answeredAt });
            continue;
          }
          const value = drawValue(rng, item, person, spec.round);
          answers.push({ pulseId: pulse.id, personId: person.id, itemId: item.id, value, comment: null, ...snapshot, answeredAt });
        }
      });
    }
  }

  return { pulses, recipients, messages, answers };
}
