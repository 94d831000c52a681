import { OpenAIModel, type Message, type PromptCompletionModel } from '@microsoft/teams-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SCHOOL_LEVELS, STAFF_ROLES } from '../../src/domain/profile.ts';
import { buildPulseContent } from '../../src/domain/pulse-content.ts';
import { translator } from '../../src/i18n/translate.ts';
import { loadQuestionBank } from '../../src/question-bank/load-question-bank.ts';
import { MODEL_OPTIONS, PROMPTS_DIR } from '../../src/routes/ai-routes.ts';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { teamsUser } from '../helpers/people.ts';

// The optional language-model path (issue 5), with a fake model in place of
// OpenAI: leaders' free questions go through the teams-ai planner, whose
// actions call the same services as the commands. The fake records exactly
// what a real model would receive (the rendered messages and the tool
// definitions), so the tests can check that no answer, name, id or comment
// ever reaches it.

type Complete = PromptCompletionModel['completePrompt'];
type ModelRequest = { messages: Message[]; tools: unknown };
type Step = (messages: Message[]) => Message | Error;

class FakeModel implements PromptCompletionModel {
  readonly requests: ModelRequest[] = [];
  script: Step[] = [];

  async completePrompt(...[context, memory, functions, tokenizer, template]: Parameters<Complete>): ReturnType<Complete> {
    // Rendered the way OpenAIModel renders before calling the API.
    const rendered = await template.prompt.renderAsMessages(context, memory, functions, tokenizer, template.config.completion.max_input_tokens);
    this.requests.push({ messages: rendered.output, tools: template.actions });
    const step = this.script.shift();
    if (!step) throw new Error('fake model: nothing scripted');
    const message = step(rendered.output);
    if (message instanceof Error) throw message;
    const last = rendered.output.at(-1);
    return { status: 'success', input: last && last.role !== 'assistant' ? last : undefined, message };
  }
}

let callSeq = 0;
const toolCall = (name: string, args: Record<string, unknown>): Message => ({
  role: 'assistant',
  content: '',
  action_calls: [{ id: `call_${++callSeq}`, type: 'function', function: { name, arguments: JSON.stringify(args) } }],
});
const say = (text: string): Message => ({ role: 'assistant', content: text });
const toolOutputs = (messages: Message[]) => messages.filter((m) => m.role === 'tool').map((m) => String(m.content));

const t = translator('nb');
const content = buildPulseContent(loadQuestionBank(), 'laringsmiljo-1');
const COMMENT_ITEM = content.items.find((i) => i.kind === 'comment')!.id;
const SECRET_COMMENT = 'Hemmelig kommentar fra assistent';

const leader = teamsUser('rektor-ai', { name: 'Rita Rektor' });
const staffMember = teamsUser('kari-ai', { name: 'Kari Nordmann' });
const model = new FakeModel();
let h: Harness;

/** Messages the bot sent (not typing indicators). */
const sent = () => h.connector.sentActivities().filter((a) => a.type === 'message');
const lastText = () => sent().at(-1)?.text;

/** Everything personal in the database: ids, names, e-mail addresses, Teams and Entra ids, comment texts. */
async function personalStrings(hh: Harness, users: Array<ReturnType<typeof teamsUser>>): Promise<string[]> {
  const people = await hh.db.prisma.person.findMany();
  const comments = await hh.db.prisma.answer.findMany({ where: { comment: { not: null } }, select: { comment: true } });
  const values = [
    ...people.flatMap((p) => [p.id, p.name, p.email, p.teamsUserId, p.aadObjectId]),
    ...comments.map((c) => c.comment),
    ...users.flatMap((u) => [u.from.id, u.from.name, u.from.aadObjectId, u.conversationId]),
  ];
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}

/** A leader (leader of the whole organisation) and a staff member, and one closed pulse at Nordby skole. */
async function setUp(hh: Harness, boss: ReturnType<typeof teamsUser>, staff: ReturnType<typeof teamsUser>): Promise<void> {
  await hh.send(boss.install());
  await hh.send(staff.install());
  await hh.send(boss.say('rolle meg leder'));
  const prisma = hh.db.prisma;
  const tenant = await prisma.tenant.findFirstOrThrow();
  const root = await prisma.orgUnit.findFirstOrThrow({ where: { kind: 'organisation' } });
  const school = await prisma.orgUnit.create({ data: { tenantId: tenant.id, parentId: root.id, kind: 'school', name: 'Nordby skole', schoolLevel: 'ungdomstrinn' } });
  const pulse = await prisma.pulse.create({
    data: { tenantId: tenant.id, unitId: school.id, templateId: content.templateId, bankVersion: content.bankVersion, content: content as object, status: 'published', opensAt: new Date('2026-11-01T08:00:00Z'), closesAt: new Date('2026-11-08T15:00:00Z') },
  });
  // 8 teachers, 7 assistants (all with a need in Digitale krenkelser, all commenting), 2 SFO leaders, 3 without a role.
  const groups: Array<[string | null, number, (item: string) => number]> = [
    ['teacher', 8, (item) => (item.startsWith('competence') ? 4 : 3)],
    ['school_assistant', 7, (item) => (item === 'competence-digitale-krenkelser' ? 1 : item === 'importance-digitale-krenkelser' ? 5 : item.startsWith('competence') ? 3 : 4)],
    ['sfo_leader', 2, () => 2],
    [null, 3, () => 3],
  ];
  let n = 0;
  for (const [role, count, valueFor] of groups) {
    for (let i = 0; i < count; i++) {
      n++;
      const person = await prisma.person.create({
        data: { tenantId: tenant.id, teamsUserId: `29:ai-seed-${n}`, aadObjectId: `aad-ai-seed-${n}`, name: `Ansatt Nummer${n}`, email: `ansatt${n}@nordby.example.no`, staffRole: role as never },
      });
      const answeredAt = new Date('2026-11-02T09:00:00Z');
      await prisma.pulseRecipient.create({ data: { pulseId: pulse.id, personId: person.id, answeredAt } });
      const rows: Array<{ itemId: string; value: number | null; comment: string | null }> = content.items.filter((it) => it.scale).map((it) => ({ itemId: it.id, value: valueFor(it.id), comment: null }));
      if (role === 'school_assistant') rows.push({ itemId: COMMENT_ITEM, value: null, comment: `${SECRET_COMMENT} ${n}: rektor Rita hører ikke på oss` });
      await prisma.answer.createMany({ data: rows.map((r) => ({ pulseId: pulse.id, personId: person.id, ...r, staffRole: role as never, schoolLevel: 'ungdomstrinn', schoolId: school.id, answeredAt })) });
    }
  }
}

describe('the planner for leaders (fake model)', () => {
  beforeAll(async () => {
    h = await startHarness({ OPENAI_API_KEY: 'sk-test-never-used' }, { aiModel: model });
    await setUp(h, leader, staffMember);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a free question runs get_results for the assistants: the leader gets the results card, then the model’s answer', async () => {
    const before = sent().length;
    let toolText = '';
    model.script = [
      () => toolCall('get_results', { group: 'school_assistant', focus: 'needs' }),
      (messages) => {
        toolText = toolOutputs(messages).join('\n');
        return say('Assistentene har størst behov innen digitale krenkelser (100 %, 7 svar).');
      },
    ];
    const question = 'Hvordan står det til med assistentene våre når det gjelder digital mobbing?';
    const res = await h.send(leader.say(question));
    expect(res.status).toBe(200);

    const replies = sent().slice(before);
    expect(replies).toHaveLength(2);
    expect(h.connector.sentActivities().slice(-3)[0]).toMatchObject({ type: 'typing' });
    const card = JSON.stringify(replies[0]);
    expect(card).toContain('application/vnd.microsoft.card.adaptive');
    expect(card).toContain('Størst behov: Digitale krenkelser (Assistent eller miljøarbeider minst 85 % stor/svært stor grad)');
    expect(card).toContain('7 svarte');
    expect(replies[1]!.text).toBe('Assistentene har størst behov innen digitale krenkelser (100 %, 7 svar).');

    // The model got the question, then the aggregates from our action as a tool message.
    expect(model.requests).toHaveLength(2);
    expect(JSON.stringify(model.requests[0]!.messages)).toContain(question);
    const facts = JSON.parse(toolText) as Record<string, unknown>;
    expect(facts).toMatchObject({ source: 'results', group: 'Assistent eller miljøarbeider', respondents: 7, minGroupSize: 5, unit: 'Nordby skole' });
    expect(facts.needs).toContainEqual({ need: 'Digitale krenkelser', percent: 'minst 85 %', answers: 7 });
    // The system prompt is in the user's language setting and states the k rule.
    expect(model.requests[0]!.messages[0]).toMatchObject({ role: 'system' });
    expect(String(model.requests[0]!.messages[0]!.content)).toContain('Answer in Norwegian Bokmål');
    expect(String(model.requests[0]!.messages[0]!.content)).toContain('fewer than 5 answers are hidden');

    // Same authorisation and audit as the command; the log says the planner ran, never what was asked.
    expect(await h.db.prisma.auditEntry.count({ where: { action: 'results.viewed' } })).toBe(1);
    const used = h.logLines.filter((l) => l.msg === 'ai planner used');
    expect(used.at(-1)).toMatchObject({ actions: ['get_results'], outcome: 'answered' });
    expect(JSON.stringify(h.logLines)).not.toContain('digital mobbing');
  });

  it('for everyone, small groups reach the model as «for få svar» with no number', async () => {
    let toolText = '';
    model.script = [
      () => toolCall('get_results', {}),
      (messages) => {
        toolText = toolOutputs(messages).join('\n');
        return say('Resultatene for SFO-ledere er skjult fordi det er for få svar.');
      },
    ];
    await h.send(leader.say('Gi meg et overblikk over hvordan skolen ligger an'));
    const facts = JSON.parse(toolText) as { respondents: number; byStaffGroup: Array<Record<string, unknown>> };
    expect(facts.respondents).toBe(20);
    expect(facts.byStaffGroup).toContainEqual({ group: 'SFO-leder eller baseleder', result: 'for få svar (under 5)' });
    expect(facts.byStaffGroup).toContainEqual({ group: 'Uten oppgitt rolle', result: 'for få svar (under 5)' });
    expect(facts.byStaffGroup).toContainEqual(expect.objectContaining({ group: 'Assistent eller miljøarbeider', respondents: 7, topNeed: 'Digitale krenkelser', percent: 'minst 85 %' }));
    expect(lastText()).toBe('Resultatene for SFO-ledere er skjult fordi det er for få svar.');
  });

  it('nothing the model received holds a person id, name, e-mail, Teams/Entra id or comment text', async () => {
    const received = JSON.stringify(model.requests);
    expect(received).toContain('Assistent eller miljøarbeider');
    const personal = await personalStrings(h, [leader, staffMember]);
    expect(personal.length).toBeGreaterThan(20 * 4);
    for (const value of personal) expect(received, `model input contains «${value}»`).not.toContain(value);
    expect(received).not.toContain(SECRET_COMMENT);
    expect(received).not.toContain('Nummer');
    expect(received).not.toContain('@nordby.example.no');
    // No tool for comments or raw rows is offered at all.
    expect((model.requests[0]!.tools as Array<{ name: string }>).map((a) => a.name).sort()).toEqual(['get_response_rate', 'get_results', 'get_trend']);
  });

  it('a staff member’s free text never reaches the model; they get the usual pointer to help', async () => {
    const calls = model.requests.length;
    await h.send(staffMember.say('Hva svarte Rita Rektor på forrige puls?'));
    expect(model.requests.length).toBe(calls);
    expect(lastText()).toBe(t('unknown.text'));
    expect(JSON.stringify(model.requests)).not.toContain('Hva svarte');
  });

  it('get_response_rate shows the status card and gives the model counts only', async () => {
    let toolText = '';
    model.script = [
      () => toolCall('get_response_rate', {}),
      (messages) => {
        toolText = toolOutputs(messages).join('\n');
        return say('20 av 20 svarte.');
      },
    ];
    const before = sent().length;
    await h.send(leader.say('Hvor mange har egentlig svart på den siste runden?'));
    const replies = sent().slice(before);
    expect(JSON.stringify(replies[0])).toContain(t('status.title'));
    expect(JSON.parse(toolText)).toMatchObject({ source: 'responseRate', answers: { answered: 20, recipients: 20, percent: 100 } });
    expect(JSON.parse(toolText).byStaffGroup).toContainEqual({ group: 'SFO-leder eller baseleder', result: 'færre enn 5' });
  });

  it('a model that fails (network, 401, timeout) gives a clear message with the commands that work without it', async () => {
    model.script = [() => new Error('401 Incorrect API key provided (fake)')];
    const res = await h.send(leader.say('Hva er det viktigste vi bør jobbe med framover?'));
    expect(res.status).toBe(200);
    expect(lastText()).toBe(t('ai.failed'));
    expect(lastText()).toContain('«resultater»');
    expect(h.logLines.some((l) => l.msg === 'ai planner failed')).toBe(true);
    expect(h.logLines.filter((l) => l.msg === 'ai planner used').at(-1)).toMatchObject({ outcome: 'modelFailed', actions: [] });
  });

  it('an action the model made up gets the usual pointer to help', async () => {
    model.script = [() => toolCall('get_all_answers', { person: 'Kari' })];
    await h.send(leader.say('Vis meg alt om hver enkelt ansatt'));
    expect(lastText()).toBe(t('unknown.text'));
    expect(h.logLines.some((l) => l.msg === 'ai planner predicted an unknown action')).toBe(true);
  });

  it('commands still go to the deterministic routes, not the model', async () => {
    const calls = model.requests.length;
    await h.send(leader.say('hva trenger assistentene mest?'));
    expect(model.requests.length).toBe(calls);
    expect(JSON.stringify(sent().at(-1))).toContain('Størst behov: Digitale krenkelser (Assistent eller miljøarbeider minst 85 %');
  });

  it('the tool definitions name exactly the staff roles and school levels the services know', () => {
    const actions = JSON.parse(fs.readFileSync(path.join(PROMPTS_DIR, 'results', 'actions.json'), 'utf8')) as Array<{ name: string; parameters: { properties: Record<string, { enum?: string[] }> } }>;
    for (const a of actions.filter((x) => x.name !== 'get_response_rate')) {
      expect(a.parameters.properties.group!.enum).toEqual([...STAFF_ROLES]);
      expect(a.parameters.properties.level!.enum).toEqual([...SCHOOL_LEVELS]);
    }
  });
});

describe('without a configured key', () => {
  let plain: Harness;
  const unused = new FakeModel();
  beforeAll(async () => {
    plain = await startHarness({}, { aiModel: unused });
  });
  afterAll(async () => {
    await plain?.close();
  });

  it('a leader’s free question gets the usual pointer to help and no model is asked', async () => {
    const boss = teamsUser('rektor-plain', { name: 'Petter Plain' });
    await plain.send(boss.install());
    await plain.send(boss.say('rolle meg leder'));
    await plain.send(boss.say('Hvordan står det til med assistentene våre?'));
    expect(plain.connector.sentActivities().at(-1)!.text).toBe(t('unknown.text'));
    expect(unused.requests).toHaveLength(0);
    expect(plain.logLines.some((l) => String(l.msg).startsWith('ai planner'))).toBe(false);
  });
});

describe('the real OpenAIModel against a fake OpenAI server', () => {
  // teams-ai's own OpenAIModel (with the bot's options) talking HTTP to a
  // stand-in for api.openai.com: what it records is the request body a real
  // provider would receive.
  type Reply = { status: number; body: unknown };
  const bodies: Array<Record<string, unknown>> = [];
  const replies: Reply[] = [];
  let server: http.Server;
  let wire: Harness;
  const boss = teamsUser('rektor-wire', { name: 'Wenche Wire' });
  const staff = teamsUser('ola-wire', { name: 'Ola Wire' });
  const completion = (message: Record<string, unknown>, finish: string) => ({
    id: `chatcmpl-${bodies.length}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  });
  const wireText = () => wire.connector.sentActivities().filter((a) => a.type === 'message').at(-1)?.text;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push({ path: req.url, authorization: req.headers.authorization, ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as object) });
        const reply = replies.shift() ?? { status: 500, body: { error: { message: 'nothing scripted', type: 'server_error' } } };
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const real = new OpenAIModel({ ...MODEL_OPTIONS, apiKey: 'sk-wire-test', defaultModel: 'gpt-4o-mini', endpoint, clientOptions: { ...MODEL_OPTIONS.clientOptions, maxRetries: 0 } });
    wire = await startHarness({ OPENAI_API_KEY: 'sk-wire-test' }, { aiModel: real });
    await setUp(wire, boss, staff);
  });
  afterAll(async () => {
    await wire?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends the system prompt, the question and the tools; then the tool result with aggregates only; the answer reaches the leader', async () => {
    replies.push(
      { status: 200, body: completion({ role: 'assistant', content: null, tool_calls: [{ id: 'call_wire', type: 'function', function: { name: 'get_results', arguments: '{"group":"school_assistant"}' } }] }, 'tool_calls') },
      { status: 200, body: completion({ role: 'assistant', content: 'Assistentene trenger mest kompetanse om digitale krenkelser (100 %).' }, 'stop') },
    );
    await wire.send(boss.say('Hvordan står det til med assistentene våre?'));
    expect(wireText()).toBe('Assistentene trenger mest kompetanse om digitale krenkelser (100 %).');
    expect(bodies).toHaveLength(2);
    const [first, second] = bodies as Array<{ path: string; authorization: string; model: string; messages: Array<{ role: string; content: string; tool_call_id?: string }>; tools: Array<{ function: { name: string } }> }>;
    expect(first!.path).toBe('/v1/chat/completions');
    expect(first!.authorization).toBe('Bearer sk-wire-test');
    expect(first!.model).toBe('gpt-4o-mini');
    expect(first!.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(first!.tools.map((t) => t.function.name)).toEqual(['get_results', 'get_trend', 'get_response_rate']);
    const tool = second!.messages.find((m) => m.role === 'tool')!;
    expect(tool.tool_call_id).toBe('call_wire');
    expect(JSON.parse(tool.content)).toMatchObject({ source: 'results', group: 'Assistent eller miljøarbeider', respondents: 7 });

    const onTheWire = JSON.stringify(bodies);
    for (const value of await personalStrings(wire, [boss, staff])) expect(onTheWire, `request body contains «${value}»`).not.toContain(value);
    expect(onTheWire).not.toContain(SECRET_COMMENT);
  });

  it('a 401 from the provider gives the leader the clear message, and a staff member’s text is never sent', async () => {
    replies.push({ status: 401, body: { error: { message: 'Incorrect API key provided: sk-wire-test.', type: 'invalid_request_error', code: 'invalid_api_key' } } });
    const before = bodies.length;
    await wire.send(boss.say('Hva bør vi prioritere?'));
    expect(bodies.length).toBe(before + 1);
    expect(wireText()).toBe(t('ai.failed'));
    await wire.send(staff.say('Hva svarte Wenche på pulsen?'));
    expect(bodies.length).toBe(before + 1);
    expect(wireText()).toBe(t('unknown.text'));
  });
});
