import { toPerson, toTenant, type PersonRecord, type RoleRecord, type TenantRecord } from './directory-repository.ts';
import type { ConversationKind } from './conversation-repository.ts';
import type { SqlExecutor } from './sql-executor.ts';

/** The stored conversation reference of the turn's conversation, as far as deciding whether to save it again needs. */
export type StoredConversationState = {
  kind: ConversationKind;
  serviceUrl: string;
  personId: string | null;
  teamsTeamId: string | null;
  reference: unknown;
};

/**
 * What the bot already knows about the sender of an activity. `tenant` is null
 * for a tenant never seen; `person` is null for someone not yet known by their
 * Teams id (they may still be known by Entra id: directory.upsertPerson links them).
 */
export type ActorSnapshot = {
  tenant: TenantRecord | null;
  person: PersonRecord | null;
  roles: RoleRecord[];
  conversation: StoredConversationState | null;
};

/*
 * Every turn starts by finding the tenant, the person, their roles and the
 * conversation reference; one statement instead of five ORM round trips
 * (bench/ingest.ts: the start of every answer). Writes stay with
 * directory.ensureTenant / upsertPerson and conversations.save, used only when
 * something is new or has changed.
 */
const SNAPSHOT_SQL = `
SELECT t.id AS "tenantId", t."teamsTenantId", t."minGroupSize",
       (SELECT u.id FROM "OrgUnit" u WHERE u."tenantId" = t.id AND u.kind = 'organisation' ORDER BY u."createdAt", u.id LIMIT 1) AS "rootUnitId",
       p.id AS "personId", p.name, p."teamsUserId", p."aadObjectId", p."clientLocale", p."preferredLanguage"::text AS "preferredLanguage",
       p."staffRole"::text AS "staffRole", p."schoolLevel"::text AS "schoolLevel", p."pupilGroups", p."profileSavedAt", p."profilePromptedAt",
       (SELECT coalesce(json_agg(json_build_object('unitId', r."unitId", 'role', r.role::text) ORDER BY r."unitId", r.role), '[]'::json)
          FROM "RoleAssignment" r WHERE r."personId" = p.id) AS roles,
       c.kind::text AS "conversationKind", c."serviceUrl", c."personId" AS "conversationPersonId", c."teamsTeamId", c.reference
FROM "Tenant" t
LEFT JOIN "Person" p ON p."tenantId" = t.id AND p."teamsUserId" = $2
LEFT JOIN "ConversationRef" c ON c."tenantId" = t.id AND c."conversationId" = $3
WHERE t."teamsTenantId" = $1`;

type SnapshotRow = {
  tenantId: string;
  teamsTenantId: string;
  minGroupSize: number;
  rootUnitId: string | null;
  personId: string | null;
  roles: RoleRecord[];
  conversationKind: ConversationKind | null;
  serviceUrl: string | null;
  conversationPersonId: string | null;
  teamsTeamId: string | null;
  reference: unknown;
} & Omit<PersonRecord, 'id' | 'tenantId'>;

/** The read side of the start of a turn: who is speaking, in which tenant, in which conversation. */
export function actorRepository(sql: SqlExecutor) {
  return {
    async snapshot(teamsTenantId: string, teamsUserId: string, conversationId: string): Promise<ActorSnapshot> {
      const [row] = await sql.query<SnapshotRow>(SNAPSHOT_SQL, [teamsTenantId, teamsUserId, conversationId], 'kp_actor_snapshot');
      if (!row) return { tenant: null, person: null, roles: [], conversation: null };
      return {
        tenant: row.rootUnitId ? toTenant({ id: row.tenantId, teamsTenantId: row.teamsTenantId, minGroupSize: row.minGroupSize }, row.rootUnitId) : null,
        person: row.personId ? toPerson({ ...row, id: row.personId, tenantId: row.tenantId }) : null,
        roles: row.personId ? row.roles : [],
        conversation:
          row.conversationKind && row.serviceUrl !== null
            ? { kind: row.conversationKind, serviceUrl: row.serviceUrl, personId: row.conversationPersonId, teamsTeamId: row.teamsTeamId, reference: row.reference }
            : null,
      };
    },
  };
}

export type ActorRepository = ReturnType<typeof actorRepository>;
