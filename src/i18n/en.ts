import type { Catalogue } from './nb.ts';

/** English. */
export const en: Catalogue = {
  'greeting.personal.titleNoName': 'Hi! I am Kompetansepuls.',
  'greeting.personal.title': 'Hi, {name}! I am Kompetansepuls.',
  'greeting.personal.body':
    'Now and then I will send you a short check-in (a “pulse”) about the competence you need in your job and what keeps you from getting it. It takes less than a minute, and you can answer whenever it suits you.',
  'greeting.team.titleNoName': 'Hi! Kompetansepuls has been added to the team.',
  'greeting.team.title': 'Hi, {team}! Kompetansepuls has been added.',
  'greeting.team.body':
    'I send short, anonymous pulses about competence needs to the people who work here, and give leaders an overall picture per staff group. Individual answers are never shown.',
  'privacy.promise': 'Your answers are only shown combined, for groups of at least {k} people – never individually.',
  'help.hint': 'Type “help” to see what I can do.',
  'help.title': 'Here is what I can help you with',
  'help.intro': 'Type one of the commands below in the chat.',
  'help.yourRoles': 'Your roles: {roles}',
  'help.footer': 'Type “hjelp” for Norwegian, or choose your language in your profile.',
  'cmd.hjelp': 'Show this overview',
  'cmd.profil': 'Show or change your profile (role, school level, language)',
  'cmd.svar': 'Answer the latest open pulse with numbers, e.g. “svar 4 5 3”',
  'cmd.resultater': 'Combined results per staff group for your unit',
  'cmd.forslag': 'Suggested competence packages per staff group',
  'cmd.startPuls': 'Start a pulse now for a team or unit',
  'cmd.planer': 'See and change scheduled pulses',
  'cmd.svarprosent': 'Response rates per unit and group',
  'cmd.roller': 'Grant or remove roles (leader, coordinator, admin)',
  'role.staff': 'staff',
  'role.leader': 'leader',
  'role.coordinator': 'coordinator',
  'role.admin': 'administrator',
  'unknown.text': 'I did not quite get that. Type “help” to see what I can do.',
  'error.generic': 'Sorry, something went wrong on my side. Please try again in a moment.',
  'error.unavailable': 'I cannot reach the database right now. Please try again in a moment – nothing was half-saved.',
  'tenant.notAllowed': 'Kompetansepuls has not been set up for your organisation. Please contact your school owner’s IT department.',
};
