import type { PrismaClient } from '../generated/prisma/client.ts';
import type { AppRole } from '../domain/commands.ts';
import type { Lang } from '../domain/language.ts';
import type { Profile, SchoolLevel, StaffRole } from '../domain/profile.ts';
import { seenAsBefore, type SeenPerson } from '../domain/turn-changes.ts';
import type { UnitNode } from '../domain/unit-scope.ts';

export type TenantRecord = { id: string; teamsTenantId: string; minGroupSize: number; rootUnitId: string };
export type PersonRecord = {
  id: string;
  tenantId: string;
  name: string | null;
  teamsUserId: string | null;
  aadObjectId: string | null;
  clientLocale: string | null;
  preferredLanguage: Lang | null;
  staffRole: StaffRole | null;
  schoolLevel: SchoolLevel | null;
  pupilGroups: string[];
  profileSavedAt: Date | null;
  profilePromptedAt: Date | null;
};
export type RoleRecord = { unitId: string; role: AppRole };

export type RosterMember = { teamsUserId: string; aadObjectId?: string; name?: string; email?: string };

export type { SeenPerson };

/** Tenants, units, people and app roles: the organisation as the bot knows it. */
export function directoryRepository(prisma: PrismaClient, defaults: { minGroupSize: number }) {
  async function ensureTenant(teamsTenantId: string): Promise<TenantRecord> {
    const existing = await prisma.tenant.findUnique({
      where: { teamsTenantId },
      include: { units: { where: { kind: 'organisation' }, take: 1 } },
    });
    if (existing?.units[0]) return toTenant(existing, existing.units[0].id);
    return prisma.$transaction(async (tx) => {
      const tenant = await tx.tenant.upsert({
        where: { teamsTenantId },
        create: { teamsTenantId, minGroupSize: defaults.minGroupSize },
        update: {},
      });
      await tx.$executeRaw`SELECT id FROM "Tenant" WHERE id = ${tenant.id}::uuid FOR UPDATE`;
      const root =
        (await tx.orgUnit.findFirst({ where: { tenantId: tenant.id, kind: 'organisation' } })) ??
        (await tx.orgUnit.create({ data: { tenantId: tenant.id, kind: 'organisation', name: 'Organisasjon' } }));
      return toTenant(tenant, root.id);
    });
  }

  /**
   * Records a person seen in an activity; keeps name and locale current. A
   * person imported from a roster (known by Entra object id, not yet by
   * Teams id) is linked on first contact instead of duplicated.
   */
  async function upsertPerson(tenantId: string, seen: SeenPerson): Promise<PersonRecord> {
    const data = {
      ...(seen.name ? { name: seen.name } : {}),
      ...(seen.clientLocale ? { clientLocale: seen.clientLocale } : {}),
    };
    const byTeamsId = await prisma.person.findUnique({ where: { tenantId_teamsUserId: { tenantId, teamsUserId: seen.teamsUserId } } });
    const byAad = !byTeamsId && seen.aadObjectId ? await prisma.person.findUnique({ where: { tenantId_aadObjectId: { tenantId, aadObjectId: seen.aadObjectId } } }) : null;
    const existing = byTeamsId ?? byAad;
    // Seen as before (the usual case: every turn of a known person): no write.
    if (existing && seenAsBefore(existing, seen)) return toPerson(existing);
    const person = existing
      ? await prisma.person.update({
          where: { id: existing.id },
          data: { ...data, teamsUserId: seen.teamsUserId, ...(seen.aadObjectId && !existing.aadObjectId ? { aadObjectId: seen.aadObjectId } : {}) },
        })
      : await prisma.person.upsert({
          where: { tenantId_teamsUserId: { tenantId, teamsUserId: seen.teamsUserId } },
          create: { tenantId, teamsUserId: seen.teamsUserId, aadObjectId: seen.aadObjectId, ...data },
          update: data,
        });
    return toPerson(person);
  }

  return {
    /** Finds or creates the tenant and its root unit (the school owner as a whole). */
    ensureTenant: (teamsTenantId: string) => retryOnUniqueViolation(() => ensureTenant(teamsTenantId)),
    upsertPerson: (tenantId: string, seen: SeenPerson) => retryOnUniqueViolation(() => upsertPerson(tenantId, seen)),

    async tenantById(tenantId: string): Promise<TenantRecord | null> {
      const t = await prisma.tenant.findUnique({ where: { id: tenantId }, include: { units: { where: { kind: 'organisation' }, take: 1 } } });
      return t?.units[0] ? toTenant(t, t.units[0].id) : null;
    },

    /** People with a role on a unit or one of its ancestors (e.g. who hears that a pulse closed). */
    async peopleWithRole(unitIds: string[], roles: AppRole[]): Promise<PersonRecord[]> {
      const rows = await prisma.person.findMany({ where: { roles: { some: { unitId: { in: unitIds }, role: { in: roles } } } } });
      return rows.map(toPerson);
    },

    async findPerson(tenantId: string, personId: string): Promise<PersonRecord | null> {
      const person = await prisma.person.findFirst({ where: { id: personId, tenantId } });
      return person ? toPerson(person) : null;
    },

    async findPersonByEmail(tenantId: string, email: string): Promise<PersonRecord | null> {
      const person = await prisma.person.findFirst({ where: { tenantId, email: email.toLowerCase() } });
      return person ? toPerson(person) : null;
    },

    async saveProfile(personId: string, profile: Profile, at: Date): Promise<PersonRecord> {
      const person = await prisma.person.update({
        where: { id: personId },
        data: {
          staffRole: profile.staffRole,
          schoolLevel: profile.schoolLevel,
          pupilGroups: profile.pupilGroups,
          ...(profile.language ? { preferredLanguage: profile.language } : {}),
          profileSavedAt: at,
        },
      });
      return toPerson(person);
    },

    /** Role given on a pulse card by someone without a profile; the rest of the profile stays unset. */
    async setStaffRole(personId: string, staffRole: StaffRole): Promise<PersonRecord> {
      return toPerson(await prisma.person.update({ where: { id: personId }, data: { staffRole } }));
    },

    async markProfilePrompted(personId: string, at: Date): Promise<void> {
      await prisma.person.update({ where: { id: personId }, data: { profilePromptedAt: at } });
    },

    async units(tenantId: string): Promise<UnitNode[]> {
      return prisma.orgUnit.findMany({ where: { tenantId }, select: { id: true, parentId: true, kind: true, name: true, teamsTeamId: true }, orderBy: { name: 'asc' } });
    },

    async membershipUnitIds(personId: string): Promise<string[]> {
      return (await prisma.membership.findMany({ where: { personId }, select: { unitId: true } })).map((m) => m.unitId);
    },

    /**
     * People who belong to any of `unitIds`. The tenant root ("the whole
     * organisation") includes everyone the bot knows in the tenant.
     */
    async peopleIn(tenant: TenantRecord, unitIds: ReadonlySet<string>): Promise<PersonRecord[]> {
      const where = unitIds.has(tenant.rootUnitId)
        ? { tenantId: tenant.id }
        : { tenantId: tenant.id, memberships: { some: { unitId: { in: [...unitIds] } } } };
      return (await prisma.person.findMany({ where, orderBy: { id: 'asc' } })).map(toPerson);
    },

    async grantRole(personId: string, unitId: string, role: AppRole, grantedBy: string): Promise<boolean> {
      const existing = await prisma.roleAssignment.findUnique({ where: { personId_unitId_role: { personId, unitId, role } } });
      if (existing) return false;
      await prisma.roleAssignment.create({ data: { personId, unitId, role, grantedBy } });
      return true;
    },

    async revokeRole(personId: string, unitId: string, role: AppRole): Promise<boolean> {
      const { count } = await prisma.roleAssignment.deleteMany({ where: { personId, unitId, role } });
      return count > 0;
    },

    async rolesOf(personId: string): Promise<RoleRecord[]> {
      const rows = await prisma.roleAssignment.findMany({ where: { personId }, select: { unitId: true, role: true } });
      return rows;
    },

    /**
     * The first person to install the bot in a tenant becomes its admin, so
     * someone can hand out leader and coordinator roles. Row-locks the tenant
     * so two simultaneous first installs cannot both win.
     */
    async grantAdminIfFirst(tenant: TenantRecord, personId: string): Promise<boolean> {
      return prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT id FROM "Tenant" WHERE id = ${tenant.id}::uuid FOR UPDATE`;
        const admins = await tx.roleAssignment.count({ where: { role: 'admin', unit: { tenantId: tenant.id } } });
        if (admins > 0) return false;
        await tx.roleAssignment.create({ data: { personId, unitId: tenant.rootUnitId, role: 'admin' } });
        return true;
      });
    },

    /**
     * Records the people of a Teams team as members of its unit. With
     * `complete` (a full roster read), memberships learned from Teams that are
     * no longer in the roster are removed; imported ones are kept.
     */
    async syncTeamMembers(tenant: TenantRecord, unitId: string, members: RosterMember[], complete: boolean): Promise<{ added: number; removed: number }> {
      return prisma.$transaction(async (tx) => {
        const personIds: string[] = [];
        for (const m of members) {
          const email = m.email?.toLowerCase() ?? null;
          const existing =
            (await tx.person.findUnique({ where: { tenantId_teamsUserId: { tenantId: tenant.id, teamsUserId: m.teamsUserId } } })) ??
            (m.aadObjectId ? await tx.person.findUnique({ where: { tenantId_aadObjectId: { tenantId: tenant.id, aadObjectId: m.aadObjectId } } }) : null) ??
            (email ? await tx.person.findUnique({ where: { tenantId_email: { tenantId: tenant.id, email } } }) : null);
          const data = {
            teamsUserId: m.teamsUserId,
            ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}),
            ...(m.name ? { name: m.name } : {}),
            ...(email && !existing?.email ? { email } : {}),
          };
          const person = existing ? await tx.person.update({ where: { id: existing.id }, data }) : await tx.person.create({ data: { tenantId: tenant.id, ...data, email } });
          personIds.push(person.id);
        }
        const before = await tx.membership.count({ where: { unitId } });
        await tx.membership.createMany({ data: personIds.map((personId) => ({ personId, unitId, source: 'teams' })), skipDuplicates: true });
        let removed = 0;
        if (complete) {
          removed = (await tx.membership.deleteMany({ where: { unitId, source: 'teams', personId: { notIn: personIds } } })).count;
        }
        const after = await tx.membership.count({ where: { unitId } });
        return { added: after - before + removed, removed };
      });
    },

    async removeTeamMembers(tenant: TenantRecord, unitId: string, teamsUserIds: string[]): Promise<number> {
      const people = await prisma.person.findMany({ where: { tenantId: tenant.id, teamsUserId: { in: teamsUserIds } }, select: { id: true } });
      const { count } = await prisma.membership.deleteMany({ where: { unitId, personId: { in: people.map((p) => p.id) } } });
      return count;
    },

    /** A Teams team becomes a `team` unit under the tenant root until a roster import places it. */
    async upsertTeamUnit(tenant: TenantRecord, teamsTeamId: string, name: string | undefined) {
      return prisma.orgUnit.upsert({
        where: { tenantId_teamsTeamId: { tenantId: tenant.id, teamsTeamId } },
        create: { tenantId: tenant.id, teamsTeamId, kind: 'team', name: name ?? 'Team', parentId: tenant.rootUnitId },
        update: name ? { name } : {},
      });
    },
  };
}

export type DirectoryRepository = ReturnType<typeof directoryRepository>;

/** Picks the fields the app uses from a Person row (the row has more, e.g. email). */
export function toPerson(p: PersonRecord): PersonRecord {
  return {
    id: p.id,
    tenantId: p.tenantId,
    name: p.name,
    teamsUserId: p.teamsUserId,
    aadObjectId: p.aadObjectId,
    clientLocale: p.clientLocale,
    preferredLanguage: p.preferredLanguage,
    staffRole: p.staffRole,
    schoolLevel: p.schoolLevel,
    pupilGroups: p.pupilGroups,
    profileSavedAt: p.profileSavedAt,
    profilePromptedAt: p.profilePromptedAt,
  };
}

/**
 * Teams sends installationUpdate and conversationUpdate for one install at
 * the same moment; both may try to create the same tenant or person. The
 * loser of that race hits a unique index and simply finds the row on retry.
 */
async function retryOnUniqueViolation<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const code = (err as { code?: string }).code;
      const unique = code === 'P2002' || /Unique constraint|duplicate key/i.test(String((err as Error).message));
      if (!unique || i >= attempts) throw err;
    }
  }
}

export function toTenant(t: { id: string; teamsTenantId: string; minGroupSize: number }, rootUnitId: string): TenantRecord {
  return { id: t.id, teamsTenantId: t.teamsTenantId, minGroupSize: t.minGroupSize, rootUnitId };
}
