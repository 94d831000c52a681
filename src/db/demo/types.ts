import type { AppRole } from '../../domain/commands.ts';
import type { SchoolLevel, StaffRole } from '../../domain/profile.ts';
import type { PulseContent } from '../../domain/pulse-content.ts';
import type { PupilGroup } from '../../question-bank/schema.ts';

/** The rows of the demo data set, as `generateDemoData` returns them (no database involved). */

export type DemoUnit = { id: string; kind: 'municipality' | 'school'; name: string; parentId: string; externalId: string; schoolLevel: SchoolLevel | null };
export type DemoPerson = {
  id: string;
  /** Stable key ("nordvik-skole:teacher:3"); random draws use it, so values do not depend on the tenant. */
  key: string;
  name: string;
  email: string;
  staffRole: StaffRole;
  schoolLevel: SchoolLevel | null;
  pupilGroups: PupilGroup[];
  profileSavedAt: Date;
  /** The school (or, for the coordinator, the municipality) the person belongs to. */
  unitId: string;
  schoolId: string | null;
  /** Person-level tendencies, so one person's answers hang together. */
  traits: { competence: number; response: number; barrier: number };
};
export type DemoRole = { personId: string; unitId: string; role: AppRole };
export type DemoPulse = {
  id: string;
  unitId: string;
  templateId: string;
  content: PulseContent;
  opensAt: Date;
  closesAt: Date;
  remindAt: Date[];
  createdById: string;
};
export type DemoRecipient = { pulseId: string; personId: string; answeredAt: Date | null };
/** One delivered message: the pulse card, or reminder `seq` to someone who had not answered yet. */
export type DemoMessage = { id: string; pulseId: string; personId: string; kind: 'pulse' | 'reminder'; seq: number; sentAt: Date };
export type DemoAnswer = {
  pulseId: string;
  personId: string;
  itemId: string;
  value: number | null;
  comment: string | null;
  staffRole: StaffRole;
  schoolLevel: SchoolLevel | null;
  schoolId: string | null;
  answeredAt: Date;
};
export type DemoData = {
  units: DemoUnit[];
  people: DemoPerson[];
  roles: DemoRole[];
  pulses: DemoPulse[];
  recipients: DemoRecipient[];
  messages: DemoMessage[];
  answers: DemoAnswer[];
};
