-- CreateTable
CREATE TABLE "CustomMeasure" (
    "tenantId" UUID NOT NULL,
    "measureId" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "createdBy" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CustomMeasure_pkey" PRIMARY KEY ("tenantId","measureId")
);

-- AddForeignKey
ALTER TABLE "CustomMeasure" ADD CONSTRAINT "CustomMeasure_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
