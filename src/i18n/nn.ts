import type { Catalogue } from './nb.ts';

/** Nynorsk. */
export const nn: Catalogue = {
  'greeting.personal.titleNoName': 'Hei! Eg er Kompetansepuls.',
  'greeting.personal.title': 'Hei, {name}! Eg er Kompetansepuls.',
  'greeting.personal.body':
    'Av og til sender eg deg ein kort sjekk (ein «puls») om kva kompetanse du treng i jobben, og kva som hindrar deg i å få han. Det tek under eitt minutt, og du kan svare når det passar deg.',
  'greeting.team.titleNoName': 'Hei! Kompetansepuls er lagd til i teamet.',
  'greeting.team.title': 'Hei, {team}! Kompetansepuls er lagd til.',
  'greeting.team.body':
    'Eg sender korte, anonyme pulsar om kompetansebehov til dykk som jobbar her, og gir leiarar eit samla bilete per tilsettgruppe. Ingen enkeltsvar blir nokon gong viste.',
  'privacy.promise': 'Svara dine blir berre viste samla for grupper på minst {k} personar – aldri enkeltvis.',
  'help.hint': 'Skriv «hjelp» for å sjå kva eg kan gjere.',
  'help.title': 'Dette kan eg hjelpe deg med',
  'help.intro': 'Skriv ein av kommandoane under i chatten.',
  'help.yourRoles': 'Rollene dine: {roles}',
  'help.footer': 'Du kan òg skrive «help» for engelsk eller velje språk i profilen din.',
  'cmd.hjelp': 'Vis denne oversikta',
  'cmd.profil': 'Vis eller endre profilen din (rolle, trinn, språk)',
  'cmd.svar': 'Svar på siste opne puls med tal, t.d. «svar 4 5 3»',
  'cmd.resultater': 'Samla resultat per tilsettgruppe for eininga di',
  'cmd.forslag': 'Føreslåtte kompetansepakkar per tilsettgruppe',
  'cmd.startPuls': 'Start ein puls no for eit team eller ei eining',
  'cmd.planer': 'Sjå og endre planlagde pulsar',
  'cmd.svarprosent': 'Svarprosent per eining og gruppe',
  'cmd.roller': 'Gi eller fjern roller (leiar, koordinator, admin)',
  'role.staff': 'tilsett',
  'role.leader': 'leiar',
  'role.coordinator': 'koordinator',
  'role.admin': 'administrator',
  'unknown.text': 'Det forstod eg ikkje heilt. Skriv «hjelp» for å sjå kva eg kan gjere.',
  'error.generic': 'Orsak, noko gjekk gale hos meg. Prøv igjen om litt.',
  'error.unavailable': 'Eg får ikkje kontakt med databasen akkurat no. Prøv igjen om litt – ingenting er lagra halvvegs.',
  'tenant.notAllowed': 'Kompetansepuls er ikkje sett opp for organisasjonen din. Kontakt IT-avdelinga hos skuleeigaren.',
};
