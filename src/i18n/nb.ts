/** Norsk bokmål: the default language of everything a user sees. */
export const nb = {
  'greeting.personal.titleNoName': 'Hei! Jeg er Kompetansepuls.',
  'greeting.personal.title': 'Hei, {name}! Jeg er Kompetansepuls.',
  'greeting.personal.body':
    'Av og til sender jeg deg en kort sjekk (en «puls») om hvilken kompetanse du trenger i jobben, og hva som hindrer deg i å få den. Det tar under ett minutt, og du kan svare når det passer deg.',
  'greeting.team.titleNoName': 'Hei! Kompetansepuls er lagt til i teamet.',
  'greeting.team.title': 'Hei, {team}! Kompetansepuls er lagt til.',
  'greeting.team.body':
    'Jeg sender korte, anonyme pulser om kompetansebehov til dere som jobber her, og gir ledere et samlet bilde per ansattgruppe. Ingen enkeltsvar vises noen gang.',
  'privacy.promise': 'Svarene dine vises bare samlet for grupper på minst {k} personer – aldri enkeltvis.',
  'help.hint': 'Skriv «hjelp» for å se hva jeg kan gjøre.',
  'help.title': 'Dette kan jeg hjelpe deg med',
  'help.intro': 'Skriv en av kommandoene under i chatten.',
  'help.yourRoles': 'Rollene dine: {roles}',
  'help.footer': 'Du kan også skrive «help» for engelsk eller velge språk i profilen din.',
  'cmd.hjelp': 'Vis denne oversikten',
  'cmd.profil': 'Vis eller endre profilen din (rolle, trinn, språk)',
  'cmd.svar': 'Svar på siste åpne puls med tall, f.eks. «svar 4 5 3»',
  'cmd.resultater': 'Samlede resultater per ansattgruppe for enheten din',
  'cmd.forslag': 'Foreslåtte kompetansepakker per ansattgruppe',
  'cmd.startPuls': 'Start en puls nå for et team eller en enhet',
  'cmd.planer': 'Se og endre planlagte pulser',
  'cmd.svarprosent': 'Svarprosent per enhet og gruppe',
  'cmd.roller': 'Gi eller fjern roller (leder, koordinator, admin)',
  'role.staff': 'ansatt',
  'role.leader': 'leder',
  'role.coordinator': 'koordinator',
  'role.admin': 'administrator',
  'unknown.text': 'Det forsto jeg ikke helt. Skriv «hjelp» for å se hva jeg kan gjøre.',
  'error.generic': 'Beklager, noe gikk galt hos meg. Prøv igjen om litt.',
  'error.unavailable': 'Jeg får ikke kontakt med databasen akkurat nå. Prøv igjen om litt – ingenting er lagret halvveis.',
  'tenant.notAllowed': 'Kompetansepuls er ikke satt opp for organisasjonen din. Kontakt IT-avdelingen hos skoleeieren.',
} as const;

export type MessageKey = keyof typeof nb;
export type Catalogue = Record<MessageKey, string>;
