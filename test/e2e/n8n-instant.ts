/**
 * The Cal.com Instant Trigger end to end in a real n8n 2.41.1: the packed package, a published
 * workflow whose trigger Cal.com (the emulator, pushing signed webhooks to loopback) calls on n8n's
 * production URL, and assertions on n8n's own database. Run through `node test/e2e/n8n-real.e2e.mjs`
 * (after the polling e2e) or `node test/e2e/n8n-real.e2e.mjs instant` (this one only).
 *
 * Stages: pack → emulator → import, publish → `n8n start` (activation subscribes one Cal.com webhook
 * and records the reconciliation's baseline) → 24 bookings, each delivered → a forged call (401) →
 * 3 bookings whose deliveries the emulator drops → the reconciliation (every minute here) → Cal.com's
 * clock past the polling overlap, the reconciliation that re-reads it, then one idle reconciliation →
 * deactivation → assertions: every booking is exactly one item in exactly one webhook execution,
 * nothing started by the forged call, the Cal.com webhook deleted. Prints the latency from the
 * Cal.com change to the execution's startedAt, and the idle reconciliation's cost.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { resolveTuning, SIGNATURE_HEADER } from '@calcom-oauth/shared';

import { DEFAULT_REDIRECT_URIS, startEmulator, type Emulator } from '../emulator';
import { check, createStages, exitWith, log, removeWorkFolder, reportFailure, runtimeFromEnv, sleep, waitFor as waitEvery } from './e2e-steps';
import { N8nDatabase, type StoredExecution } from './n8n-db';
import { packPackage } from './n8n-package';
import { freePort, n8nEnvironment, N8nServer, runN8n } from './n8n-process';
import { ownerSession } from './n8n-rest';

const WORKFLOW_ID = 'calcomInstantE2eWf1';
const CREDENTIAL_ID = 'calcomInstantCred1';
const NODE_NAME = 'Cal.com Instant Trigger';
const WEBHOOK_ID = randomUUID();
const SCOPES = ['BOOKING_READ', 'EVENT_TYPE_READ', 'WEBHOOK_READ', 'WEBHOOK_WRITE'];
/** n8n's shortest schedule: the reconciliation runs every minute here (the node's default is 5). */
const RECONCILE_SECONDS = 60;
const LATENCY_CHANGES = 24;
const DROPPED_CHANGES = 3;
/** The polling engine's overlap: a read starts again this far back, so a poll soon after a change re-reads it. */
const OVERLAP_SECONDS = resolveTuning().overlapMs / 1000;
/** Executions are looked for often: the latency is read from n8n's startedAt, but the run should not idle. */
const waitFor = <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> => waitEvery(what, timeoutMs, probe, 250);

function workflowJson() {
	const node = {
		id: 'calcom-instant-node-1',
		name: NODE_NAME,
		type: 'CUSTOM.calComInstantTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: { event: 'booking_created', eventTypeIds: [], options: {}, pollTimes: { item: [{ mode: 'everyMinute' }] } },
		credentials: { calComOAuth2Api: { id: CREDENTIAL_ID, name: 'Cal.com (emulator, instant)' } },
	};
	return { id: WORKFLOW_ID, name: 'Cal.com OAuth instant e2e', nodes: [node], connections: {}, active: false, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** SQLite keeps `YYYY-MM-DD HH:MM:SS.SSS` in UTC. */
function startedAtMs(execution: StoredExecution): number {
	const text = execution.startedAt;
	return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

function uidsOf(execution: StoredExecution): string[] {
	return (execution.items[NODE_NAME] ?? []).map((item) => String(item.uid));
}

function percentile(sorted: readonly number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function calcomWebhooks(cal: Emulator, url: string) {
	return [...cal.store.webhooks.values()].filter((webhook) => webhook.subscriberUrl === url);
}

async function main(): Promise<number> {
	const runtime = runtimeFromEnv('test/e2e/n8n-real.e2e.mjs');
	const stages = createStages();
	const stage = stages.run;
	const work = mkdtempSync(join(tmpdir(), 'n8n-instant-e2e-'));
	const userFolder = join(work, 'user');
	mkdirSync(userFolder);
	let emulator: Emulator | undefined;
	let server: N8nServer | undefined;
	let db: N8nDatabase | undefined;
	let failed = false;
	try {
		const { customDir } = await stage('build and pack the package', async () => packPackage(work));
		emulator = await stage('start the Cal.com emulator (pushes signed webhooks to loopback)', async () =>
			startEmulator({ era: '2026', followRealTime: true, allowLoopbackWebhooks: true }),
		);
		const cal = emulator;
		const client = cal.registerClient({ name: 'n8n instant e2e', redirectUris: [...DEFAULT_REDIRECT_URIS], scopes: SCOPES });
		const minted = cal.mintTokens({ clientId: client.clientId, scopes: SCOPES });
		const port = await freePort();
		const env: NodeJS.ProcessEnv = {
			...n8nEnvironment(runtime, { userFolder, customExtensions: customDir, port, brokerPort: await freePort() }),
			// The URL n8n hands the node (getNodeWebhookUrl) and therefore Cal.com.
			WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		};
		const webhookUrl = `http://127.0.0.1:${port}/webhook/${WEBHOOK_ID}/webhook`;

		await stage('import credential and workflow, publish (n8n CLI)', async () => {
			const credentialFile = join(work, 'credential.json');
			const workflowFile = join(work, 'workflow.json');
			const data = {
				clientId: client.clientId,
				clientSecret: client.clientSecret,
				instance: 'self-hosted',
				appUrl: cal.appUrl,
				apiUrl: cal.apiUrl,
				scopes: SCOPES,
				oauthTokenData: { ...minted, n8n_expires_at: String(Date.now() + minted.expires_in * 1000) },
			};
			writeFileSync(credentialFile, JSON.stringify([{ id: CREDENTIAL_ID, name: 'Cal.com (emulator, instant)', type: 'calComOAuth2Api', data }]));
			writeFileSync(workflowFile, JSON.stringify([workflowJson()]));
			for (const args of [['import:credentials', `--input=${credentialFile}`], ['import:workflow', `--input=${workflowFile}`], ['publish:workflow', `--id=${WORKFLOW_ID}`]]) {
				const result = await runN8n(runtime, env, args);
				if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${result.output}`);
			}
			rmSync(credentialFile);
		});

		server = await stage('n8n start, until healthy', async () => N8nServer.start(runtime, env, port, join(work, 'n8n.log')));
		const n8n = server;

		await stage('activation: one Cal.com webhook for the production URL, and the baseline read', async () => {
			await waitFor('the Cal.com webhook and the baseline GET /v2/bookings', 90_000, async () =>
				calcomWebhooks(cal, webhookUrl).length === 1 && cal.requestLog().some((entry) => entry.path.startsWith('/v2/bookings')) ? true : undefined,
			);
			const [webhook] = calcomWebhooks(cal, webhookUrl);
			check(webhook?.active === true && typeof webhook.secret === 'string' && webhook.secret.length >= 32, 'the webhook is active and signed with a generated secret');
			log(`  Cal.com webhook ${webhook.id}: ${webhook.eventTriggers.join(', ')} → ${webhookUrl}`);
		});
		db = await N8nDatabase.open(runtime.modules, userFolder);
		const store = db;
		const executions = async () => await store.executions(WORKFLOW_ID);
		check((await executions()).length === 0, 'activation starts no execution');

		const changedAt = new Map<string, number>();
		await stage(`${LATENCY_CHANGES} bookings, each pushed to n8n`, async () => {
			for (let index = 0; index < LATENCY_CHANGES; index += 1) {
				const booking = cal.generator.createBooking({ title: `E2E instant ${index + 1}` });
				changedAt.set(booking.uid, Date.now());
				await sleep(400);
			}
			await cal.settleWebhooks();
			await waitFor(`${LATENCY_CHANGES} executions`, 60_000, async () => ((await executions()).flatMap(uidsOf).length >= LATENCY_CHANGES ? true : undefined));
		});

		const forged = await stage('a forged delivery: 401, no execution', async () => {
			const body = cal.webhookDeliveries().at(-1)?.body ?? '{}';
			const before = (await executions()).length;
			const response = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: 'ab'.repeat(32) }, body });
			await sleep(2000);
			check(response.status === 401, `n8n answered the forged delivery ${response.status}, not 401`);
			check((await executions()).length === before, 'the forged delivery started no execution');
			return response.status;
		});

		const dropped = await stage(`${DROPPED_CHANGES} deliveries dropped, then reconciled once`, async () => {
			cal.deliveryFaults.inject({ kind: 'drop', times: DROPPED_CHANGES });
			const uids = Array.from({ length: DROPPED_CHANGES }, (_, index) => cal.generator.createBooking({ title: `E2E dropped ${index + 1}` }).uid);
			await cal.settleWebhooks();
			check(cal.webhookDeliveries().slice(-DROPPED_CHANGES).every((delivery) => delivery.outcome === 'dropped'), 'the emulator dropped the deliveries');
			await waitFor('the reconciliation to emit the dropped bookings', (RECONCILE_SECONDS + 30) * 1000, async () => {
				const seen = (await executions()).flatMap(uidsOf);
				return uids.every((uid) => seen.includes(uid)) ? true : undefined;
			});
			return uids;
		});

		/** The next reconciliation tick: its requests and their bytes, and that it started no execution. */
		const nextReconciliation = async () => {
			const from = cal.requestLog().length;
			const executionsBefore = (await executions()).length;
			// The next reconciliation tick, then a moment for a (wrong) extra request or execution.
			await waitFor('the next reconciliation', (RECONCILE_SECONDS + 30) * 1000, async () =>
				cal.requestLog().slice(from).some((entry) => entry.path.startsWith('/v2/bookings')) ? true : undefined,
			);
			await sleep(3000);
			const requests = cal.requestLog().slice(from).filter((entry) => entry.path.startsWith('/v2/'));
			check((await executions()).length === executionsBefore, 'an idle reconciliation started no execution');
			// The bytes of that answer: the same read, by another connection of the same client.
			const probe = cal.mintTokens({ clientId: client.clientId, scopes: SCOPES, userId: 1 });
			let bytes = 0;
			for (const request of requests) {
				const headers: Record<string, string> = { authorization: `Bearer ${probe.access_token}` };
				if (request.headers['cal-api-version'] !== undefined) headers['cal-api-version'] = request.headers['cal-api-version'];
				bytes += (await (await fetch(`${cal.apiUrl}${request.path}`, { headers })).arrayBuffer()).byteLength;
			}
			return { requests: requests.length, bytes, paths: requests.map((request) => `${request.method} ${request.path.split('?')[0]}`) };
		};

		// The first reconciliation after a change re-reads the engine's overlap window below the newest
		// booking (shared/src/polling/clock.ts), here all the bookings just made: the cost of settling,
		// not of idling. The emulator's clock is moved past that window, so the settling read moves the
		// bound past the newest booking and the one after it is a true idle poll.
		const settling = await stage(`the reconciliation after Cal.com's clock passed the ${OVERLAP_SECONDS} s overlap`, async () => {
			cal.clock.advance(OVERLAP_SECONDS + 5);
			return await nextReconciliation();
		});
		const idle = await stage('an idle reconciliation (nothing changed within the overlap)', nextReconciliation);
		await stage('deactivation deletes the Cal.com webhook (REST)', async () => {
			const owner = await ownerSession(n8n.baseUrl, { email: 'owner@example.com', password: `E2e-${Date.now()}-owner` });
			await owner.post(`/rest/workflows/${WORKFLOW_ID}/deactivate`, {});
			await waitFor('the Cal.com webhook to be deleted', 60_000, async () => (calcomWebhooks(cal, webhookUrl).length === 0 ? true : undefined));
		});

		const all = await executions();
		await store.close();
		db = undefined;
		await stage('stop n8n (SIGTERM)', async () => n8n.stop());
		server = undefined;

		await stage('assertions', async () => {
			log(`  executions: ${all.map((execution) => `#${execution.id} ${execution.mode} ${execution.status} [${uidsOf(execution).length}]`).join('; ')}`);
			for (const execution of all) {
				check(execution.status === 'success', `execution #${execution.id} succeeded (got ${execution.status}${execution.error ? `: ${execution.error}` : ''})`);
				check(execution.mode === 'webhook', `execution #${execution.id} was started by the webhook (mode ${execution.mode})`);
			}
			const emitted = all.flatMap(uidsOf);
			const expected = [...changedAt.keys(), ...dropped];
			check(emitted.length === new Set(emitted).size, `no booking was emitted twice (got ${emitted.length} items for ${new Set(emitted).size} bookings)`);
			check(expected.every((uid) => emitted.includes(uid)) && emitted.length === expected.length, `exactly the ${expected.length} bookings were emitted (got ${emitted.length})`);
			const perChange = [...changedAt.keys()].map((uid) => all.filter((execution) => uidsOf(execution).includes(uid)).length);
			check(perChange.every((count) => count === 1), 'each pushed booking is exactly one execution');
			check(settling.requests === 1, `the reconciliation after the changes costs one request (got ${settling.requests}: ${settling.paths.join(', ')})`);
			check(idle.requests === 1, `an idle reconciliation costs one request (got ${idle.requests}: ${idle.paths.join(', ')})`);
			check(idle.bytes < settling.bytes, `the idle reconciliation reads less than the one re-reading the overlap (${idle.bytes} vs ${settling.bytes} bytes)`);
			check(forged === 401, 'forged delivery refused');
		});

		const latencies = [...changedAt.entries()]
			.map(([uid, at]) => {
				const execution = all.find((candidate) => uidsOf(candidate).includes(uid));
				return execution === undefined ? NaN : startedAtMs(execution) - at;
			})
			.filter((ms) => Number.isFinite(ms))
			.sort((a, b) => a - b);
		log(`\n  (${latencies.length} changes; n8n's startedAt has millisecond precision)`);
		log(
			`instant latency: median ${Math.round(percentile(latencies, 50))} ms, p95 ${Math.round(percentile(latencies, 95))} ms (polling: every ${RECONCILE_SECONDS} s); reconciliation idle: ${idle.requests} request(s), ${idle.bytes} bytes (the first one after the changes re-reads the ${OVERLAP_SECONDS} s overlap: ${settling.requests} request(s), ${settling.bytes} bytes)`,
		);
	} catch (error) {
		failed = true;
		reportFailure(error, server);
	} finally {
		await db?.close();
		if (server !== undefined) await server.stop();
		await emulator?.close();
		removeWorkFolder(work, failed);
	}
	stages.print('n8n instant e2e stages', 70);
	log(failed ? 'n8n instant e2e: FAILED' : `n8n instant e2e: passed (n8n ${runtime.version})`);
	return failed ? 1 : 0;
}

exitWith('n8n instant e2e', main);
