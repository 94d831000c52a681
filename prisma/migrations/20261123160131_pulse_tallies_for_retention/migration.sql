-- CreateTable
CREATE TABLE "PulseTally" (
    "pulseId" UUID NOT NULL,
    "groupBy" TEXT NOT NULL,
    "groups" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PulseTally_pkey" PRIMARY KEY ("pulseId","groupBy")
);

-- AddForeignKey
ALTER TABLE "PulseTally" ADD CONSTRAINT "PulseTally_pulseId_fkey" FOREIGN KEY ("pulseId") REFERENCES "Pulse"("id") ON DELETE CASCADE ON UPDATE CASCADE;
