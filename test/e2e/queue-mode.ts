/**
 * n8n 2.41.1 in queue mode (one main, two workers, PostgreSQL, Redis) with the packed node, against
 * the emulator. Run it through `node test/e2e/queue-mode.e2e.mjs` (installs n8n on first use).
 *
 * Scenario 1: 20 published polling workflows on ONE credential whose access tokens live 60 s; a
 * stream of booking changes; every workflow must receive every event once and every expiry must
 * cost exactly one refresh. Scenario 2: the same during SIGKILL of main mid-poll, SIGKILL of a
 * worker mid-execution and a Redis restart. Scenario 3: booking requests through n8n's separate
 * `webhook` process, run by workers with the "Cal.com" action node on the same credential. Counts
 * come from n8n's own execution rows in PostgreSQL.
 * `--long` streams changes for 20 minutes per scenario instead of about 1.5, and books 100 times instead of 12.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

import { startEmulator, type Emulator } from '../emulator';
import { ACTION_WORKFLOW_ID, actionWorkflowJson, runActionRequests, type ActionTally } from './queue-mode-actions';
import { QueueModeDatabase, type QueueExecution } from './queue-mode-db';
import { instantSpecs, instantTriggerNode, sendForgedDelivery, subscribedWebhooks } from './queue-mode-instant';
import { QueueModeProcess, queueModeEnvironment } from './queue-mode-n8n';
import { check, log, runtimeFromEnv, sleep, waitFor } from './e2e-steps';
import { ensureServicePackages, Redis, startPostgres, type Postgres } from './queue-mode-services';
import { ChangeStream, eventIdentity, TRIGGER_NAME, WORKFLOW_PREFIX, workflowSpecs, type EventKey, type WorkflowSpec } from './queue-mode-stream';
import { packPackage } from './n8n-package';
import { freePort, n8nEnvironment, runN8n } from './n8n-process';

const CREDENTIAL_ID = 'calcomQueueCreden';
const ACCESS_TOKEN_TTL_SECONDS = 60;
const SCOPES = ['BOOKING_READ', 'BOOKING_WRITE', 'EVENT_TYPE_READ', 'PROFILE_READ', 'WEBHOOK_READ', 'WEBHOOK_WRITE'];
/** Share of the deliveries to the instant workflows that Cal.com drops during scenario 2. */
const DROPPED_SHARE = 0.25;
const LONG = process.argv.includes('--long');
const ACTION_REQUESTS = LONG ? 100 : 12;
const STREAM_SECONDS = LONG ? 1200 : 60;
const CHANGE_EVERY_MS = 5_000;
const WAIT_SECONDS = 3;

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function pollingTriggerNode(spec: WorkflowSpec): Record<string, unknown> {
	return {
		id: `${spec.id}-trigger`,
		name: TRIGGER_NAME,
		type: 'CUSTOM.calComTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: spec.event, eventTypeIds: spec.eventTypeIds, options: {} },
		credentials: { calComOAuth2Api: { id: CREDENTIAL_ID, name: 'Cal.com (emulator)' } },
	};
}

function workflowJson(spec: WorkflowSpec, trigger: Record<string, unknown> = pollingTriggerNode(spec)) {
	return {
		id: spec.id,
		name: spec.name,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [
			trigger,
			// A few seconds of work on the worker, so a worker can be killed while it runs an execution.
			{ id: `${spec.id}-wait`, name: 'Work', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [250, 0], parameters: { amount: WAIT_SECONDS, unit: 'seconds' }, webhookId: `${spec.id}-hook` },
		],
		connections: { [TRIGGER_NAME]: { main: [[{ node: 'Work', type: 'main', index: 0 }]] } },
	};
}

/** Deliveries per workflow and identity, from n8n's execution rows. */
function deliveries(specs: WorkflowSpec[], executions: QueueExecution[]): Map<string, Map<string, number[]>> {
	const byWorkflow = new Map(specs.map((spec) => [spec.id, new Map<string, number[]>()]));
	const eventOf = new Map(specs.map((spec) => [spec.id, spec.event]));
	for (const execution of executions) {
		const perIdentity = byWorkflow.get(execution.workflowId);
		const event = eventOf.get(execution.workflowId);
		if (perIdentity === undefined || event === undefined) continue;
		for (const item of execution.items) {
			const identity = eventIdentity(event, item);
			perIdentity.set(identity, [...(perIdentity.get(identity) ?? []), execution.id]);
		}
	}
	return byWorkflow;
}

interface Tally {
	expected: number;
	delivered: number;
	/** Handed to n8n in an execution that ran on the killed worker; n8n failed it and replaced its data. */
	inKilledExecutions: number;
	lost: number;
	duplicated: number;
	lostList: string[];
	duplicatedList: string[];
}

function tally(specs: WorkflowSpec[], stream: ChangeStream, executions: QueueExecution[], from: number, to: number, killed: QueueExecution[] = []): Tally {
	// A killed execution's items as they were stored before the kill; n8n's record of it no longer has them.
	const byWorkflow = deliveries(specs, [...executions.filter((execution) => !killed.some((gone) => gone.id === execution.id)), ...killed]);
	const killedIds = new Set(killed.map((execution) => execution.id));
	const result: Tally = { expected: 0, delivered: 0, inKilledExecutions: 0, lost: 0, duplicated: 0, lostList: [], duplicatedList: [] };
	for (const spec of specs) {
		const got = byWorkflow.get(spec.id) ?? new Map<string, number[]>();
		for (const identity of stream.expected(spec, from, to)) {
			result.expected += 1;
			const executionIds = got.get(identity) ?? [];
			if (executionIds.length === 0) {
				result.lost += 1;
				result.lostList.push(`${spec.id} ${identity}`);
				continue;
			}
			result.delivered += 1;
			if (executionIds.some((id) => killedIds.has(id))) result.inKilledExecutions += 1;
			if (executionIds.length > 1) {
				result.duplicated += executionIds.length - 1;
				result.duplicatedList.push(`${spec.id} ${identity} in executions ${executionIds.join(', ')}`);
			}
		}
	}
	return result;
}

/** Token rounds from the emulator's log: refreshes, and token generations a request found expired. */
function tokenRounds(cal: Emulator, until: string) {
	const entries = cal.requestLog().filter((entry) => entry.at <= until);
	const isTokenPost = (path: string) => path.startsWith('/v2/auth/oauth2/token');
	let generation = 0;
	const expiredGenerations = new Set<number>();
	const refreshTimes: number[] = [];
	let failedRefreshes = 0;
	for (const entry of entries) {
		if (entry.method === 'POST' && isTokenPost(entry.path)) {
			if (entry.status === 200) {
				generation += 1;
				refreshTimes.push(Date.parse(entry.at));
			} else failedRefreshes += 1;
		} else if (entry.path.startsWith('/v2/') && (entry.status === 401 || entry.status === 403)) expiredGenerations.add(generation);
	}
	// Cal.com's JWT `exp` is in whole seconds, so a token can end up to a second before 60 s after its refresh.
	const early = refreshTimes.filter((time, index) => index > 0 && time - (refreshTimes[index - 1] ?? 0) < (ACCESS_TOKEN_TTL_SECONDS - 2) * 1000).length;
	return { refreshes: refreshTimes.length, expiries: expiredGenerations.size, failedRefreshes, early };
}

interface ScenarioReport {
	name: string;
	tally: Tally;
	restarts: string;
	refreshes: number;
	expiries: number;
	executions: Record<string, number>;
	memory: string;
	seconds: number;
	/** Executions that did not succeed, with n8n's reason. */
	failures: string[];
	/** Rows of this scenario only. */
	extra?: Array<[string, string | number]>;
}

function printReport(report: ScenarioReport): void {
	const row = (label: string, value: string | number) => log(`  | ${label.padEnd(34)} | ${String(value).padStart(34)} |`);
	log(`\n  ${report.name}`);
	log(`  |${'-'.repeat(36)}|${'-'.repeat(36)}|`);
	row('events expected', report.tally.expected);
	row('events delivered', report.tally.delivered);
	row('  in runs n8n failed (worker kill)', report.tally.inKilledExecutions);
	row('lost', report.tally.lost);
	row('duplicated', report.tally.duplicated);
	row('restarts done', report.restarts);
	row('refreshes / expiries', `${report.refreshes} / ${report.expiries}`);
	row('executions by status', Object.entries(report.executions).map(([status, count]) => `${status} ${count}`).join(', '));
	row('peak RSS main / workers (MiB)', report.memory);
	for (const [label, value] of report.extra ?? []) row(label, value);
	row('time', `${report.seconds.toFixed(0)} s`);
	for (const line of report.failures) log(`    failed execution: ${line}`);
	for (const line of report.tally.lostList.slice(0, 20)) log(`    lost: ${line}`);
	for (const line of report.tally.duplicatedList.slice(0, 20)) log(`    duplicated: ${line}`);
}

function printActionReport(tally: ActionTally, memory: string, webhookRssMiB: number, seconds: number): void {
	const row = (label: string, value: string | number) => log(`  | ${label.padEnd(34)} | ${String(value).padStart(34)} |`);
	log('\n  scenario 3: webhook process → workers → the "Cal.com" action node');
	log(`  |${'-'.repeat(36)}|${'-'.repeat(36)}|`);
	row('booking requests sent / accepted', `${tally.requests} / ${tally.accepted}`);
	row('bookings made', tally.bookings);
	row('lost', tally.lost);
	row('duplicated', tally.duplicated);
	row('executions run on a worker', tally.onWorkers);
	row('executions by status', Object.entries(tally.executions).map(([status, count]) => `${status} ${count}`).join(', '));
	row('peak RSS main / workers (MiB)', memory);
	row('peak RSS webhook process (MiB)', webhookRssMiB.toFixed(0));
	row('time', `${seconds.toFixed(0)} s`);
	for (const line of tally.failures) log(`    failed execution: ${line}`);
}

async function main(): Promise<number> {
	const runtime = runtimeFromEnv('test/e2e/queue-mode.e2e.mjs');
	const started = Date.now();
	const work = mkdtempSync(join(tmpdir(), 'n8n-queue-'));
	let postgres: Postgres | undefined;
	let redis: Redis | undefined;
	let cal: Emulator | undefined;
	let db: QueueModeDatabase | undefined;
	const processes: QueueModeProcess[] = [];
	let failed = false;
	const reports: ScenarioReport[] = [];
	let finalLine = '';
	let actionTally: ActionTally | undefined;
	let instantReport: ScenarioReport | undefined;
	const instantProblems: string[] = [];
	try {
		log('▶ services: PostgreSQL and Redis (Debian packages), the emulator, the packed node');
		const postgresBin = ensureServicePackages(log);
		postgres = await startPostgres(postgresBin, join(work, 'postgres'));
		redis = await Redis.start(join(work, 'redis'));
		const { customDir } = packPackage(work);
		cal = await startEmulator({ era: '2026', followRealTime: true, accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS, allowLoopbackWebhooks: true });
		const emulator = cal;
		log(`  PostgreSQL :${postgres.port}, Redis :${redis.port}, Cal.com ${cal.apiUrl}; ${elapsed(started)}`);

		const client = cal.seeded.clients.scoped;
		check(client.clientSecret !== undefined, 'the scoped seed client is confidential');
		const minted = cal.mintTokens({ clientId: client.clientId, scopes: SCOPES });
		const encryptionKey = randomBytes(24).toString('hex');
		const envFor = async (name: string, extra: NodeJS.ProcessEnv = {}) => {
			const userFolder = join(work, name);
			mkdirSync(userFolder, { recursive: true });
			const base = n8nEnvironment(runtime, { userFolder, customExtensions: customDir, port: await freePort(), brokerPort: await freePort() });
			return { ...queueModeEnvironment(base, { postgresPort: postgres!.port, database: postgres!.database, user: postgres!.user, redisPort: redis!.port, encryptionKey }), ...extra };
		};
		// Production webhooks are served by the separate `webhook` process only, as in a scaled set-up.
		const webhookPort = await freePort();
		const webhookBaseUrl = `http://127.0.0.1:${webhookPort}`;
		const mainEnv = await envFor('main', { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true', WEBHOOK_URL: `${webhookBaseUrl}/` });
		const specs = workflowSpecs();
		const instant = instantSpecs();
		const everySpec = [...specs, ...instant];
		const credentialRef = { id: CREDENTIAL_ID, name: 'Cal.com (emulator)' };

		log(`\n▶ import the credential and ${everySpec.length + 1} workflows into PostgreSQL (n8n CLI): ${specs.length} polling, ${instant.length} instant, 1 action; publish them`);
		const importStarted = Date.now();
		const credentialFile = join(work, 'credential.json');
		const workflowsFile = join(work, 'workflows.json');
		writeFileSync(
			credentialFile,
			JSON.stringify([
				{
					id: CREDENTIAL_ID,
					name: 'Cal.com (emulator)',
					type: 'calComOAuth2Api',
					data: {
						clientId: client.clientId,
						clientSecret: client.clientSecret,
						instance: 'self-hosted',
						appUrl: cal.appUrl,
						apiUrl: cal.apiUrl,
						scopes: SCOPES,
						oauthTokenData: { ...minted, n8n_expires_at: String(Date.now() + minted.expires_in * 1000) },
					},
				},
			]),
		);
		writeFileSync(workflowsFile, JSON.stringify([
				...specs.map((spec) => workflowJson(spec)),
				...instant.map((spec) => workflowJson(spec, instantTriggerNode(spec, credentialRef))),
				actionWorkflowJson(credentialRef),
			]));
		for (const args of [['import:credentials', `--input=${credentialFile}`], ['import:workflow', `--input=${workflowsFile}`]]) {
			const result = await runN8n(runtime, mainEnv, args, 300_000);
			if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${result.output}`);
		}
		rmSync(credentialFile);
		db = await QueueModeDatabase.open(runtime.modules, postgres);
		const store = db;
		const published = await store.publish([...everySpec.map((spec) => spec.id), ACTION_WORKFLOW_ID]);
		check(published === everySpec.length + 1, `published ${everySpec.length + 1} workflows (got ${published})`);
		log(`  ${published} workflows published; ${elapsed(importStarted)}`);

		log('\n▶ start two workers, the webhook process and main (queue mode)');
		const n8nStarted = Date.now();
		for (const name of ['worker-1', 'worker-2']) {
			const healthPort = await freePort();
			processes.push(new QueueModeProcess('worker', name, runtime, await envFor(name, { QUEUE_HEALTH_CHECK_PORT: String(healthPort) }), healthPort, join(work, `${name}.log`)));
		}
		const mainProcess = new QueueModeProcess('main', 'main', runtime, mainEnv, Number(mainEnv.N8N_PORT), join(work, 'main.log'));
		processes.push(mainProcess);
		const workers = processes.filter((process) => process.role === 'worker');
		const webhookProcess = new QueueModeProcess('webhook', 'webhook', runtime, await envFor('webhook', { N8N_PORT: String(webhookPort), WEBHOOK_URL: `${webhookBaseUrl}/` }), webhookPort, join(work, 'webhook.log'));
		processes.push(webhookProcess);
		await Promise.all([...workers, webhookProcess].map(async (process) => process.start()));
		await mainProcess.start();
		const baselined = async () => {
			const gone = processes.find((process) => !process.alive);
			if (gone !== undefined) throw new Error(`${gone.label} exited while the workflows activated:\n${gone.tail(20)}`);
			for (const spec of specs) {
				const data = await store.staticData(spec.id);
				if ((data[`node:${TRIGGER_NAME}`] as Record<string, unknown> | undefined)?.calcomPollState === undefined) return undefined;
			}
			// Instant workflows: subscribed at Cal.com with the webhook process's URL, and their reconciliation's baseline stored.
			if (subscribedWebhooks(emulator, webhookBaseUrl).length < instant.length) return undefined;
			for (const spec of instant) {
				const data = await store.staticData(spec.id);
				if ((data[`node:${TRIGGER_NAME}`] as Record<string, unknown> | undefined)?.calcomInstantReconcile === undefined) return undefined;
			}
			return true;
		};
		await waitFor('every workflow to record its baseline (activation poll)', 180_000, baselined);
		log(`  main, workers and the webhook process up; ${specs.length} polling baselines stored, ${instant.length} instant workflows subscribed at Cal.com; ${elapsed(n8nStarted)}`);
		check((await store.executions(TRIGGER_NAME, WORKFLOW_PREFIX)).length === 0, 'activation polls start no execution (baseline only)');

		// Which uids every workflow of an event has received so far (the stream only builds on seen events).
		let seen = new Map<EventKey, Set<string>>();
		const refreshSeen = async () => {
			const byWorkflow = deliveries(specs, await store.executions(TRIGGER_NAME, WORKFLOW_PREFIX));
			const next = new Map<EventKey, Set<string>>();
			for (const event of ['booking_created', 'booking_requested'] as const) {
				const relevant = specs.filter((spec) => spec.event === event);
				const all = relevant.map((spec) => new Set(byWorkflow.get(spec.id)?.keys() ?? []));
				const union = new Set(all.flatMap((set) => [...set]));
				// Seen by every workflow of the event whose filter matches the booking.
				next.set(event, new Set([...union].filter((uid) => relevant.every((spec, index) => all[index]?.has(uid) || !matchesType(spec, uid)))));
			}
			seen = next;
		};
		const matchesType = (spec: WorkflowSpec, uid: string) => {
			const booking = emulator.store.bookings.get(uid);
			return booking !== undefined && (spec.eventTypeIds.length === 0 || spec.eventTypeIds.includes(booking.eventTypeId));
		};
		const stream = new ChangeStream(cal, (event, uid) => seen.get(event)?.has(uid) ?? false);
		const unfinishedAtKill: QueueExecution[] = [];
		/** Executions unfinished when the worker was killed that n8n then failed, as stored before the kill. */
		let killedExecutions: QueueExecution[] = [];
		const settleKilled = (executions: QueueExecution[]) => {
			const failed = new Set(executions.filter((execution) => execution.status !== 'success').map((execution) => execution.id));
			killedExecutions = unfinishedAtKill.filter((execution) => failed.has(execution.id));
		};

		const runStream = async (seconds: number, disruptions: Array<{ atSecond: number; name: string; run: () => Promise<string> }>) => {
			const streamStarted = Date.now();
			// The disruptions run one after another beside the stream, which keeps changing bookings meanwhile.
			const disrupting = (async () => {
				for (const due of disruptions) {
					await sleep(Math.max(0, streamStarted + due.atSecond * 1000 - Date.now()));
					const disruptionStarted = Date.now();
					log(`  ${due.name}: ${await due.run()} (${elapsed(disruptionStarted)})`);
				}
			})();
			let disruptionsDone = false;
			void disrupting.finally(() => (disruptionsDone = true)).catch(() => undefined);
			while (Date.now() - streamStarted < seconds * 1000 || !disruptionsDone) {
				await refreshSeen();
				stream.step();
				await sleep(CHANGE_EVERY_MS);
			}
			await disrupting;
		};

		const drain = async (from: number, to: number) => {
			const drainStarted = Date.now();
			await waitFor('every expected event delivered and every execution finished', 240_000, async () => {
				const executions = await store.executions(TRIGGER_NAME, WORKFLOW_PREFIX);
				settleKilled(executions);
				const current = tally(everySpec, stream, executions, from, to, killedExecutions);
				return current.lost === 0 && (await store.unfinished(WORKFLOW_PREFIX)) === 0 ? true : undefined;
			}, 3000).catch(async (error: unknown) => {
				log(`  ${error instanceof Error ? error.message : String(error)}`);
				const current = tally(everySpec, stream, await store.executions(TRIGGER_NAME, WORKFLOW_PREFIX), from, to, killedExecutions);
				for (const line of current.lostList) log(`    not delivered: ${line}`);
			});
			log(`  drained in ${elapsed(drainStarted)}`);
		};

		const statusCounts = (executions: QueueExecution[], firstId: number) => {
			const counts: Record<string, number> = {};
			for (const execution of executions.filter((item) => item.id > firstId)) counts[execution.status] = (counts[execution.status] ?? 0) + 1;
			return counts;
		};
		const failuresOf = (executions: QueueExecution[], firstId: number) =>
			executions.filter((item) => item.id > firstId && item.status !== 'success').map((item) => `#${item.id} ${item.workflowId} ${item.status}: ${item.error ?? 'no error recorded'}${killedExecutions.some((gone) => gone.id === item.id) ? ' (on the killed worker)' : ''}`);
		const memory = () => `${mainProcess.peakRssMiB.toFixed(0)} / ${workers.map((worker) => worker.peakRssMiB.toFixed(0)).join(', ')}`;
		const nowIso = () => new Date(emulator.clock.now()).toISOString();

		// Scenario 1: many workflows, one credential, 60-second tokens.
		log(`\n▶ scenario 1: ${specs.length} workflows on one credential, a change every ${CHANGE_EVERY_MS / 1000} s for ${STREAM_SECONDS} s, tokens live ${ACCESS_TOKEN_TTL_SECONDS} s`);
		const s1Started = Date.now();
		const s1From = emulator.clock.now();
		await runStream(STREAM_SECONDS, []);
		const s1To = emulator.clock.now();
		await drain(s1From, s1To);
		const s1Executions = await store.executions(TRIGGER_NAME, WORKFLOW_PREFIX);
		const s1Tokens = tokenRounds(emulator, nowIso());
		reports.push({
			name: 'scenario 1: 20 workflows, one credential, 60-second tokens',
			tally: tally(specs, stream, s1Executions, s1From, s1To),
			restarts: 'none',
			refreshes: s1Tokens.refreshes,
			expiries: s1Tokens.expiries,
			executions: statusCounts(s1Executions, 0),
			failures: failuresOf(s1Executions, 0),
			memory: memory(),
			seconds: (Date.now() - s1Started) / 1000,
		});
		printReport(reports[0]!);

		// Scenario 2: restarts during the stream.
		log('\n▶ scenario 2: the same stream while main, a worker and Redis go down');
		const s2Started = Date.now();
		const s2From = emulator.clock.now();
		const lastS1Execution = s1Executions.at(-1)?.id ?? 0;
		const s2TokensBefore = s1Tokens;
		const restarts = { main: 0, worker: 0, redis: 0 };
		const killMainMidPoll = async () => {
			// Hold the next bookings read open, and kill main while it waits for the answer.
			const fault = emulator.faults.inject({ kind: 'slow', match: '/v2/bookings', method: 'GET', delayMs: 8_000 });
			await waitFor('a poll in flight', 120_000, async () => (fault.hits > 0 ? true : undefined), 100);
			await mainProcess.kill();
			fault.remove();
			await mainProcess.start();
			restarts.main += 1;
			return `SIGKILL during a poll, restarted (start ${mainProcess.starts})`;
		};
		const killWorkerMidExecution = async () => {
			const victim = await waitFor('a worker running an execution', 180_000, async () => workers.find((worker) => worker.running.size > 0), 100);
			const running = [...victim.running];
			// What n8n stored for every unfinished execution: the poll's items, waiting to run. The victim
			// may also hold jobs it took but has not logged yet; the ones n8n fails afterwards are the
			// killed ones (see `killedExecutions`).
			await victim.kill();
			// n8n overwrites a killed execution's data only once Bull reports the stall (about 30 s
			// later), so read right after the kill: that also catches a job taken just before it.
			const stored = (await store.executions(TRIGGER_NAME, WORKFLOW_PREFIX)).filter((execution) => ['new', 'running'].includes(execution.status));
			unfinishedAtKill.push(...stored);
			await victim.start();
			restarts.worker += 1;
			return `SIGKILL ${victim.label} while it ran execution(s) ${running.join(', ')}, restarted`;
		};
		const restartRedis = async () => {
			const ms = await redis!.restart();
			restarts.redis += 1;
			return `stopped and started again, down ${ms} ms`;
		};
		// Meanwhile Cal.com drops a share of the deliveries to the instant workflows; their reconciliation must find them.
		const dropping = emulator.deliveryFaults.inject({ kind: 'drop', subscriberUrl: webhookBaseUrl, probability: DROPPED_SHARE, times: Infinity });
		await runStream(STREAM_SECONDS, [
			{ atSecond: 5, name: 'main', run: killMainMidPoll },
			{ atSecond: 10, name: 'worker', run: killWorkerMidExecution },
			{ atSecond: 15, name: 'Redis', run: restartRedis },
		]);
		const droppedDeliveries = dropping.hits;
		dropping.remove();
		const s2To = emulator.clock.now();
		await drain(s2From, s2To);
		const allExecutions = await store.executions(TRIGGER_NAME, WORKFLOW_PREFIX);
		settleKilled(allExecutions);
		const s2Tokens = tokenRounds(emulator, nowIso());
		reports.push({
			name: 'scenario 2: SIGKILL main mid-poll, SIGKILL a worker mid-execution, restart Redis',
			tally: tally(specs, stream, allExecutions, s2From, s2To, killedExecutions),
			restarts: `main ${restarts.main}, worker ${restarts.worker}, Redis ${restarts.redis}`,
			refreshes: s2Tokens.refreshes - s2TokensBefore.refreshes,
			expiries: s2Tokens.expiries - s2TokensBefore.expiries,
			executions: statusCounts(allExecutions, lastS1Execution),
			failures: failuresOf(allExecutions, lastS1Execution),
			memory: memory(),
			seconds: (Date.now() - s2Started) / 1000,
		});
		printReport(reports[1]!);
		// Scenario 1's events once more, now that the restarts are over: nothing of them came back.
		const s1Again = tally(specs, stream, allExecutions, s1From, s1To, killedExecutions);

		// Scenario 3, instant: the instant workflows over scenarios 1 and 2, a forged call to each.
		log('\n▶ scenario 3: the instant trigger through the webhook process, with Cal.com dropping deliveries; forged calls');
		const s3Started = Date.now();
		const forgedStatuses = await Promise.all(subscribedWebhooks(emulator, webhookBaseUrl).map(async (url) => sendForgedDelivery(url)));
		await sleep(3000);
		const afterForgery = await store.executions(TRIGGER_NAME, WORKFLOW_PREFIX);
		const forgedExecutions = afterForgery.filter((execution) => execution.items.some((item) => String(item.uid).startsWith('forged-'))).length;
		const onWorker = new Set(workers.flatMap((worker) => [...worker.started]));
		const instantExecutions = afterForgery.filter((execution) => instant.some((spec) => spec.id === execution.workflowId));
		settleKilled(afterForgery);
		instantReport = {
			name: 'scenario 3: instant trigger (webhook process → workers; reconciliation in main), through scenarios 1 and 2',
			tally: tally(instant, stream, afterForgery, s1From, s2To, killedExecutions),
			restarts: 'those of scenario 2',
			refreshes: s2Tokens.refreshes,
			expiries: s2Tokens.expiries,
			executions: statusCounts(instantExecutions, 0),
			failures: failuresOf(instantExecutions, 0),
			memory: `${memory()}; webhook ${webhookProcess.peakRssMiB.toFixed(0)}`,
			seconds: (Date.now() - s3Started) / 1000,
			extra: [
				['deliveries Cal.com dropped', droppedDeliveries],
				['forged calls refused (401) / sent', `${forgedStatuses.filter((status) => status === 401).length} / ${forgedStatuses.length}`],
				['executions started by a forged call', forgedExecutions],
				['instant executions run on a worker', `${instantExecutions.filter((execution) => onWorker.has(String(execution.id))).length} / ${instantExecutions.length}`],
			],
		};
		printReport(instantReport);
		if (forgedStatuses.some((status) => status !== 401)) instantProblems.push(`forged calls answered ${forgedStatuses.join(', ')} instead of 401`);
		if (forgedExecutions > 0) instantProblems.push(`${forgedExecutions} execution(s) started by a forged call`);
		if (droppedDeliveries === 0) instantProblems.push('Cal.com dropped no delivery: the reconciliation was not exercised');

		// Scenario 3, actions: webhooks reach the webhook process; workers run the action node.
		log(`\n▶ scenario 3: ${ACTION_REQUESTS} booking requests through n8n's webhook process, booked by workers with the "Cal.com" node`);
		const s3ActionsStarted = Date.now();
		const actions = await runActionRequests({
			cal: emulator,
			store,
			webhookBaseUrl,
			count: ACTION_REQUESTS,
			workerExecutionIds: () => new Set(workers.flatMap((worker) => [...worker.started])),
		});
		actionTally = actions;
		printActionReport(actions, memory(), webhookProcess.peakRssMiB, (Date.now() - s3ActionsStarted) / 1000);

		log('\n▶ stop n8n; the credential row in PostgreSQL');
		await Promise.all(processes.map(async (process) => process.stop()));
		const exportFile = join(work, 'credential-out.json');
		const exported = await runN8n(runtime, mainEnv, ['export:credentials', `--id=${CREDENTIAL_ID}`, '--decrypted', `--output=${exportFile}`]);
		check(exported.code === 0, `export:credentials: ${exported.output}`);
		const [credential] = JSON.parse(readFileSync(exportFile, 'utf8')) as Array<{ data: { oauthTokenData?: { refresh_token?: string } } }>;
		rmSync(exportFile);
		const storedRefresh = credential?.data.oauthTokenData?.refresh_token ?? '';
		const finalTokens = tokenRounds(emulator, nowIso());
		const tryRefresh = async (token: string) =>
			(
				await fetch(`${emulator.apiUrl}/v2/auth/oauth2/token`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret ?? '', grant_type: 'refresh_token', refresh_token: token }).toString(),
				})
			).status;
		const mintedStatus = await tryRefresh(minted.refresh_token);
		const storedStatus = await tryRefresh(storedRefresh);
		log(`  the minted refresh token: ${mintedStatus} (revoked by rotation); the one in PostgreSQL: ${storedStatus} (live)`);

		const problems: string[] = [];
		if (actionTally !== undefined) {
			if (actionTally.accepted !== actionTally.requests) problems.push(`scenario 3: the webhook process accepted ${actionTally.accepted} of ${actionTally.requests} requests`);
			if (actionTally.lost > 0) problems.push(`scenario 3: ${actionTally.lost} booking request(s) gave no booking`);
			if (actionTally.duplicated > 0) problems.push(`scenario 3: ${actionTally.duplicated} booking(s) made twice`);
			if (actionTally.onWorkers !== actionTally.accepted) problems.push(`scenario 3: ${actionTally.onWorkers} of ${actionTally.accepted} executions ran on a worker`);
		}
		if (instantReport !== undefined) {
			if (instantReport.tally.lost > 0) problems.push(`scenario 3: ${instantReport.tally.lost} instant event(s) lost`);
			if (instantReport.tally.duplicated > 0) problems.push(`scenario 3: ${instantReport.tally.duplicated} instant event(s) duplicated`);
			if (instantReport.tally.expected === 0) problems.push('scenario 3: no instant events expected');
		}
		problems.push(...instantProblems.map((problem) => `scenario 3: ${problem}`));
		for (const [index, report] of reports.entries()) {
			if (report.tally.lost > 0) problems.push(`scenario ${index + 1}: ${report.tally.lost} event(s) lost`);
			if (report.tally.duplicated > 0) problems.push(`scenario ${index + 1}: ${report.tally.duplicated} event(s) duplicated`);
			if (report.tally.expected === 0) problems.push(`scenario ${index + 1}: no events expected (the stream did nothing)`);
		}
		if (s1Again.duplicated > 0 || s1Again.lost > 0) problems.push(`scenario 1's events changed after the restarts: ${s1Again.duplicated} duplicated, ${s1Again.lost} lost`);
		if (finalTokens.refreshes !== finalTokens.expiries) problems.push(`${finalTokens.refreshes} refreshes for ${finalTokens.expiries} expiries`);
		if (finalTokens.failedRefreshes > 0) problems.push(`${finalTokens.failedRefreshes} refresh(es) refused by Cal.com (a revoked sibling)`);
		if (finalTokens.early > 0) problems.push(`${finalTokens.early} refresh(es) of a token that had not expired yet`);
		if (finalTokens.expiries < 2) problems.push(`only ${finalTokens.expiries} token expiries during the run: the 60-second lifetime was not exercised`);
		if (mintedStatus !== 400) problems.push('the minted refresh token still works: n8n never rotated it');
		if (storedStatus !== 200) problems.push('the refresh token in PostgreSQL is not the live one');
		for (const problem of problems) log(`  ✖ ${problem}`);
		failed = problems.length > 0;
		const counted = instantReport === undefined ? reports : [...reports, instantReport];
		const total = counted.reduce((sum, report) => sum + report.tally.expected, 0);
		const lost = counted.reduce((sum, report) => sum + report.tally.lost, 0);
		const duplicated = counted.reduce((sum, report) => sum + report.tally.duplicated, 0);
		finalLine = `queue-mode soak: ${total} events, ${lost} lost, ${duplicated} duplicated, ${finalTokens.refreshes} refreshes for ${finalTokens.expiries} expiries`;
	} catch (error) {
		failed = true;
		log(`\n✖ ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
		for (const process of processes) log(`--- last lines of ${process.label} ---\n${process.tail(30)}`);
	} finally {
		await db?.close().catch(() => undefined);
		for (const process of processes) await process.stop(10_000).catch(() => undefined);
		await redis?.stop();
		postgres?.stop();
		await cal?.close();
		if (failed && process.env.CI !== undefined) log(`(logs kept in ${work})`);
		else rmSync(work, { recursive: true, force: true });
	}
	log(`\nqueue-mode step time: ${elapsed(started)}${LONG ? ' (--long)' : ''}`);
	if (finalLine !== '') log(finalLine);
	log(failed ? 'queue-mode: FAILED' : `queue-mode: passed (n8n ${runtime.version})`);
	return failed ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		log(`queue-mode crashed: ${error instanceof Error ? error.stack : String(error)}`);
		process.exit(1);
	},
);
