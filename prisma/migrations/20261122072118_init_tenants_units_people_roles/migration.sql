-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('teacher', 'leader', 'child_youth_worker', 'school_assistant', 'unqualified_teacher', 'sfo_leader', 'special_support', 'other');

-- CreateEnum
CREATE TYPE "SchoolLevel" AS ENUM ('barnetrinn', 'ungdomstrinn', 'vgs_yrkesfag', 'vgs_studieforberedende', 'kombinert');

-- CreateEnum
CREATE TYPE "UnitKind" AS ENUM ('organisation', 'county', 'municipality', 'school', 'team');

-- CreateEnum
CREATE TYPE "AppRole" AS ENUM ('staff', 'leader', 'coordinator', 'admin');

-- CreateEnum
CREATE TYPE "Language" AS ENUM ('nb', 'nn', 'en');

-- CreateEnum
CREATE TYPE "ConversationKind" AS ENUM ('personal', 'channel', 'groupChat');

-- CreateTable
CREATE TABLE "Tenant" (
    "id" UUID NOT NULL,
    "teamsTenantId" TEXT NOT NULL,
    "name" TEXT,
    "minGroupSize" INTEGER NOT NULL DEFAULT 5,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Tenant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrgUnit" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "parentId" UUID,
    "kind" "UnitKind" NOT NULL,
    "name" TEXT NOT NULL,
    "schoolLevel" "SchoolLevel",
    "teamsTeamId" TEXT,
    "externalId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OrgUnit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "teamsUserId" TEXT,
    "aadObjectId" TEXT,
    "email" TEXT,
    "name" TEXT,
    "clientLocale" TEXT,
    "preferredLanguage" "Language",
    "staffRole" "StaffRole",
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "personId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("personId","unitId")
);

-- CreateTable
CREATE TABLE "RoleAssignment" (
    "personId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "role" "AppRole" NOT NULL,
    "grantedBy" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoleAssignment_pkey" PRIMARY KEY ("personId","unitId","role")
);

-- CreateTable
CREATE TABLE "ConversationRef" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "conversationId" TEXT NOT NULL,
    "kind" "ConversationKind" NOT NULL,
    "serviceUrl" TEXT NOT NULL,
    "personId" UUID,
    "teamsTeamId" TEXT,
    "reference" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ConversationRef_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" UUID NOT NULL,
    "actorId" UUID,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "details" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Tenant_teamsTenantId_key" ON "Tenant"("teamsTenantId");

-- CreateIndex
CREATE INDEX "OrgUnit_tenantId_parentId_idx" ON "OrgUnit"("tenantId", "parentId");

-- CreateIndex
CREATE UNIQUE INDEX "OrgUnit_tenantId_teamsTeamId_key" ON "OrgUnit"("tenantId", "teamsTeamId");

-- CreateIndex
CREATE UNIQUE INDEX "OrgUnit_tenantId_externalId_key" ON "OrgUnit"("tenantId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_tenantId_teamsUserId_key" ON "Person"("tenantId", "teamsUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_tenantId_aadObjectId_key" ON "Person"("tenantId", "aadObjectId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_tenantId_email_key" ON "Person"("tenantId", "email");

-- CreateIndex
CREATE INDEX "Membership_unitId_idx" ON "Membership"("unitId");

-- CreateIndex
CREATE INDEX "RoleAssignment_unitId_idx" ON "RoleAssignment"("unitId");

-- CreateIndex
CREATE INDEX "ConversationRef_personId_idx" ON "ConversationRef"("personId");

-- CreateIndex
CREATE UNIQUE INDEX "ConversationRef_tenantId_conversationId_key" ON "ConversationRef"("tenantId", "conversationId");

-- CreateIndex
CREATE INDEX "AuditEntry_tenantId_at_idx" ON "AuditEntry"("tenantId", "at");

-- AddForeignKey
ALTER TABLE "OrgUnit" ADD CONSTRAINT "OrgUnit_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrgUnit" ADD CONSTRAINT "OrgUnit_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "OrgUnit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "OrgUnit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "OrgUnit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConversationRef" ADD CONSTRAINT "ConversationRef_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConversationRef" ADD CONSTRAINT "ConversationRef_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditEntry" ADD CONSTRAINT "AuditEntry_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
