import type { PersonRecord, RoleRecord, TenantRecord } from '../db/directory-repository.ts';
import type { Lang } from '../domain/language.ts';
import type { Translate } from '../i18n/translate.ts';

/** Who is acting, in which tenant and language: what every use case needs to know. */
export type Actor = { tenant: TenantRecord; person: PersonRecord; roles: RoleRecord[]; lang: Lang; t: Translate };
