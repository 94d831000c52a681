-- CreateEnum
CREATE TYPE "PulseStatus" AS ENUM ('draft', 'scheduled', 'open', 'closed', 'published', 'cancelled');

-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "profilePromptedAt" TIMESTAMPTZ(3),
ADD COLUMN     "profileSavedAt" TIMESTAMPTZ(3),
ADD COLUMN     "pupilGroups" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "schoolLevel" "SchoolLevel";

-- CreateTable
CREATE TABLE "CustomBankItem" (
    "tenantId" UUID NOT NULL,
    "itemId" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "createdBy" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomBankItem_pkey" PRIMARY KEY ("tenantId","itemId")
);

-- CreateTable
CREATE TABLE "CustomBankTemplate" (
    "tenantId" UUID NOT NULL,
    "templateId" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "createdBy" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomBankTemplate_pkey" PRIMARY KEY ("tenantId","templateId")
);

-- CreateTable
CREATE TABLE "Pulse" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "templateId" TEXT NOT NULL,
    "bankVersion" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "roleFilter" "StaffRole"[] DEFAULT ARRAY[]::"StaffRole"[],
    "status" "PulseStatus" NOT NULL DEFAULT 'draft',
    "opensAt" TIMESTAMPTZ(3) NOT NULL,
    "closesAt" TIMESTAMPTZ(3) NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Pulse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PulseRecipient" (
    "pulseId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "deliveryStatus" TEXT NOT NULL DEFAULT 'pending',
    "failureReason" TEXT,
    "conversationId" TEXT,
    "activityId" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "answeredAt" TIMESTAMPTZ(3),

    CONSTRAINT "PulseRecipient_pkey" PRIMARY KEY ("pulseId","personId")
);

-- CreateTable
CREATE TABLE "Answer" (
    "pulseId" UUID NOT NULL,
    "personId" UUID NOT NULL,
    "itemId" TEXT NOT NULL,
    "value" INTEGER,
    "comment" TEXT,
    "staffRole" "StaffRole",
    "schoolLevel" "SchoolLevel",
    "schoolId" UUID,
    "answeredAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Answer_pkey" PRIMARY KEY ("pulseId","personId","itemId")
);

-- CreateIndex
CREATE INDEX "Pulse_tenantId_status_closesAt_idx" ON "Pulse"("tenantId", "status", "closesAt");

-- CreateIndex
CREATE INDEX "PulseRecipient_personId_idx" ON "PulseRecipient"("personId");

-- CreateIndex
CREATE INDEX "Answer_pulseId_itemId_idx" ON "Answer"("pulseId", "itemId");

-- AddForeignKey
ALTER TABLE "CustomBankItem" ADD CONSTRAINT "CustomBankItem_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CustomBankTemplate" ADD CONSTRAINT "CustomBankTemplate_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pulse" ADD CONSTRAINT "Pulse_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pulse" ADD CONSTRAINT "Pulse_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "OrgUnit"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseRecipient" ADD CONSTRAINT "PulseRecipient_pulseId_fkey" FOREIGN KEY ("pulseId") REFERENCES "Pulse"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PulseRecipient" ADD CONSTRAINT "PulseRecipient_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Answer" ADD CONSTRAINT "Answer_pulseId_fkey" FOREIGN KEY ("pulseId") REFERENCES "Pulse"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Answer" ADD CONSTRAINT "Answer_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;
