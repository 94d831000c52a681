-- CreateEnum
CREATE TYPE "MeasureStatus" AS ENUM ('planned', 'running', 'evaluated', 'cancelled');

-- AlterTable
ALTER TABLE "Pulse" ADD COLUMN     "checkBackOfId" UUID,
ADD COLUMN     "measureId" UUID,
ADD COLUMN     "sharedById" UUID,
ADD COLUMN     "sharedWithStaffAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "Measure" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "staffRole" "StaffRole",
    "catalogueId" TEXT NOT NULL,
    "catalogueVersion" TEXT NOT NULL,
    "reasons" JSONB NOT NULL,
    "themeIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "itemIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "basePulseId" UUID,
    "startsOn" DATE NOT NULL,
    "evaluateOn" DATE NOT NULL,
    "status" "MeasureStatus" NOT NULL DEFAULT 'running',
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Measure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Measure_tenantId_status_evaluateOn_idx" ON "Measure"("tenantId", "status", "evaluateOn");

-- CreateIndex
CREATE INDEX "Measure_unitId_idx" ON "Measure"("unitId");

-- AddForeignKey
ALTER TABLE "Pulse" ADD CONSTRAINT "Pulse_checkBackOfId_fkey" FOREIGN KEY ("checkBackOfId") REFERENCES "Pulse"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Pulse" ADD CONSTRAINT "Pulse_measureId_fkey" FOREIGN KEY ("measureId") REFERENCES "Measure"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Measure" ADD CONSTRAINT "Measure_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Measure" ADD CONSTRAINT "Measure_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "OrgUnit"("id") ON DELETE CASCADE ON UPDATE CASCADE;
