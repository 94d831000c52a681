-- CreateTable
CREATE TABLE "UnitHoliday" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "fromDate" DATE NOT NULL,
    "toDate" DATE NOT NULL,
    "name" TEXT,
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UnitHoliday_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UnitHoliday_tenantId_idx" ON "UnitHoliday"("tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "UnitHoliday_unitId_fromDate_toDate_key" ON "UnitHoliday"("unitId", "fromDate", "toDate");

-- AddForeignKey
ALTER TABLE "UnitHoliday" ADD CONSTRAINT "UnitHoliday_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UnitHoliday" ADD CONSTRAINT "UnitHoliday_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "OrgUnit"("id") ON DELETE CASCADE ON UPDATE CASCADE;
