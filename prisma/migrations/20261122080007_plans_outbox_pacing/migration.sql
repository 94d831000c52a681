-- CreateEnum
CREATE TYPE "PlanStatus" AS ENUM ('active', 'paused', 'cancelled', 'finished');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sending', 'sent', 'failed', 'skipped');

-- AlterTable
ALTER TABLE "Pulse" ADD COLUMN     "occurrence" TIMESTAMPTZ(3),
ADD COLUMN     "onClose" TEXT NOT NULL DEFAULT 'publish',
ADD COLUMN     "planId" UUID,
ADD COLUMN     "progressAt" TIMESTAMPTZ(3),
ADD COLUMN     "progressDone" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "progressRef" JSONB,
ADD COLUMN     "remindAt" TIMESTAMPTZ(3)[];

-- AlterTable
ALTER TABLE "PulseRecipient" DROP COLUMN "activityId",
DROP COLUMN "conversationId",
DROP COLUMN "deliveryStatus",
DROP COLUMN "failureReason",
DROP COLUMN "sentAt";

-- CreateTable
CREATE TABLE "PulsePlan" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "templateId" TEXT NOT NULL,
    "roleFilter" "StaffRole"[] DEFAULT ARRAY[]::"StaffRole"[],
    "firstSendAt" TIMESTAMPTZ(3) NOT NULL,
    "recurrence" TEXT NOT NULL,
    "endsAt" TIMESTAMPTZ(3),
    "windowMinutes" INTEGER NOT NULL,
    "reminders" JSONB NOT NULL DEFAULT '[]',
    "maxReminders" INTEGER NOT NULL DEFAULT 2,
    "onClose" TEXT NOT NULL DEFAULT 'publish',
    "skipHolidays" BOOLEAN NOT NULL DEFAULT true,
    "status" "PlanStatus" NOT NULL DEFAULT 'active',
    "nextRunAt" TIMESTAMPTZ(3),
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PulsePlan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TenantHoliday" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "fromDate" TEXT NOT NULL,
    "toDate" TEXT NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "TenantHoliday_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "pulseId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "seq" INTEGER NOT NULL DEFAULT 0,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMPTZ(3),
    "lockedBy" TEXT,
    "reason" TEXT,
    "conversationId" TEXT,
    "activityId" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateBucket" (
    "key" TEXT NOT NULL,
    "tat" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "RateBucket_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "PulsePlan_status_nextRunAt_idx" ON "PulsePlan"("status", "nextRunAt");

-- CreateIndex
CREATE INDEX "TenantHoliday_tenantId_idx" ON "TenantHoliday"("tenantId");

-- CreateIndex
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Outbox_pulseId_personId_kind_seq_key" ON "Outbox"("pulseId", "personId", "kind", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "Pulse_planId_occurrence_key" ON "Pulse"("planId", "occurrence");

-- AddForeignKey
ALTER TABLE "Pulse" ADD CONSTRAINT "Pulse_planId_fkey" FOREIGN KEY ("planId") REFERENCES "PulsePlan"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulsePlan" ADD CONSTRAINT "PulsePlan_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulsePlan" ADD CONSTRAINT "PulsePlan_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "OrgUnit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TenantHoliday" ADD CONSTRAINT "TenantHoliday_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Outbox" ADD CONSTRAINT "Outbox_pulseId_fkey" FOREIGN KEY ("pulseId") REFERENCES "Pulse"("id") ON DELETE CASCADE ON UPDATE CASCADE;
