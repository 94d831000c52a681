import type { Database } from '../../src/db/database.ts';
import { buildPulseContent, type PulseContent } from '../../src/domain/pulse-content.ts';
import { loadQuestionBank } from '../../src/question-bank/load-question-bank.ts';

/**
 * A staff group to seed: role (null = none in the profile), head count, each person's value per item id,
 * and optionally the group's school level (default: the pulse's `schoolLevel`).
 */
export type SeedGroup = [role: string | null, count: number, valueFor: (itemId: string) => number, schoolLevel?: string];

/**
 * A pulse in `unitId` answered by everyone in `groups` (scale items only),
 * written straight to the database, as if people had answered it.
 * People are keyed `<prefix>-<n>` in the order of `groups`; with `reusePeople`
 * a key that already exists is the same person again (the same staff
 * answering a later pulse), else every call creates new people.
 */
export async function seedAnsweredPulse(
  db: Database,
  opts: { unitId: string; groups: SeedGroup[]; status?: 'open' | 'published'; templateId?: string; opensAt?: Date; closesAt?: Date; schoolLevel?: string; prefix?: string; reusePeople?: boolean },
): Promise<{ pulseId: string; content: PulseContent }> {
  const prisma = db.prisma;
  const unit = await prisma.orgUnit.findUniqueOrThrow({ where: { id: opts.unitId } });
  const content = buildPulseContent(loadQuestionBank(), opts.templateId ?? 'laringsmiljo-1');
  const closesAt = opts.closesAt ?? new Date('2026-11-08T15:00:00Z');
  const pulse = await prisma.pulse.create({
    data: {
      tenantId: unit.tenantId,
      unitId: unit.id,
      templateId: content.templateId,
      bankVersion: content.bankVersion,
      content: content as object,
      status: opts.status ?? 'published',
      opensAt: opts.opensAt ?? new Date(closesAt.getTime() - 7 * 86_400_000),
      closesAt,
    },
  });
  const answeredAt = new Date(closesAt.getTime() - 86_400_000);
  let n = 0;
  for (const [role, count, valueFor, groupLevel] of opts.groups) {
    for (let i = 0; i < count; i++) {
      const key = `${opts.prefix ?? 'seed'}-${n++}`;
      const data = { tenantId: unit.tenantId, teamsUserId: `29:${key}`, name: `Ansatt ${key}`, staffRole: role as never };
      const person = opts.reusePeople
        ? await prisma.person.upsert({ where: { tenantId_teamsUserId: { tenantId: unit.tenantId, teamsUserId: data.teamsUserId } }, create: data, update: {} })
        : await prisma.person.create({ data });
      await prisma.pulseRecipient.create({ data: { pulseId: pulse.id, personId: person.id, answeredAt } });
      await prisma.answer.createMany({
        data: content.items
          .filter((it) => it.scale)
          .map((it) => ({ pulseId: pulse.id, personId: person.id, itemId: it.id, value: valueFor(it.id), staffRole: role as never, schoolLevel: (groupLevel ?? opts.schoolLevel ?? 'ungdomstrinn') as never, schoolId: unit.id, answeredAt })),
      });
    }
  }
  return { pulseId: pulse.id, content };
}
