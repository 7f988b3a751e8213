/**
 * End to end in a real n8n 2.41.1: the packed `n8n-nodes-calcom-oauth` tarball, loaded as custom
 * extensions, polls the local Cal.com emulator from a published workflow, and the assertions read
 * n8n's own database. Run it through `node test/e2e/n8n-real.e2e.mjs` (installs n8n on first use).
 *
 * Stages: pack → emulator → import credential and workflow, publish → `n8n start` (activation polls
 * record baselines) → the emulator creates, cancels and reschedules bookings → deliveries → the
 * access token expires (90 s lifetime) and n8n refreshes it on Cal.com's 403 → another booking is
 * delivered → one more quiet poll round → stop → assertions:
 * - each event arrived exactly once, in executions that all succeeded;
 * - every refresh was n8n's body-mode form POST to the v2 token endpoint, and the refresh token n8n
 *   stored is the live, rotated one (the minted one is revoked);
 * - the poll state sits in the workflow's static data under `node:<name>`.
 * Between the first deliveries and the token expiry, the "Cal.com" action node runs a manual workflow
 * (slots → create → reschedule → cancel, see n8n-actions.ts) whose bookings the triggers then see
 * once each; n8n's node types list the node's AI-tool variant; with CALCOM_SCREENSHOTS=1 the editor
 * is photographed for n8n-node/README.md (n8n-editor-shots.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEFAULT_REDIRECT_URIS, startEmulator, type Emulator, type LoggedRequest } from '../emulator';
import { check, createStages, exitWith, log, removeWorkFolder, reportFailure, runtimeFromEnv, waitFor } from './e2e-steps';
import { ACTION_WORKFLOW_ID, actionCredential, actionWorkflowJson, checkActionRun, checkToolVariant, runActionWorkflow, type ActionOutcome } from './n8n-actions';
import { screenshotsRequested, takeEditorScreenshots } from './n8n-editor-shots';
import { N8nDatabase, type StoredExecution } from './n8n-db';
import { packPackage } from './n8n-package';
import { freePort, n8nEnvironment, N8nServer, runN8n } from './n8n-process';
import { ownerSession, type N8nSession } from './n8n-rest';

const WORKFLOW_ID = 'calcomE2eWorkflow1';
const CREDENTIAL_ID = 'calcomE2eCredentia';
/** Short on purpose: the token must expire (and be refreshed by n8n) within the run. */
const ACCESS_TOKEN_TTL_SECONDS = 90;
const SCOPES = ['BOOKING_READ', 'EVENT_TYPE_READ', 'PROFILE_READ'];
/** The node's default scopes: the trigger's plus BOOKING_WRITE. */
const ACTION_SCOPES = ['BOOKING_READ', 'BOOKING_WRITE', 'EVENT_TYPE_READ', 'PROFILE_READ'];
const TRIGGERS = {
	created: { name: 'Booking Created', event: 'booking_created' },
	cancelled: { name: 'Booking Cancelled', event: 'booking_cancelled' },
	rescheduled: { name: 'Booking Rescheduled', event: 'booking_rescheduled' },
} as const;

function workflowJson() {
	const nodes = Object.values(TRIGGERS).map((trigger, index) => ({
		id: `calcom-e2e-node-${index + 1}`,
		name: trigger.name,
		type: 'CUSTOM.calComTrigger',
		typeVersion: 1,
		position: [0, index * 200],
		parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: trigger.event, eventTypeIds: [], options: {} },
		credentials: { calComOAuth2Api: { id: CREDENTIAL_ID, name: 'Cal.com (emulator)' } },
	}));
	return { id: WORKFLOW_ID, name: 'Cal.com OAuth polling e2e', nodes, connections: {}, active: false, settings: { executionOrder: 'v1' }, pinData: {} };
}

function bookingUid(json: Record<string, unknown>): string {
	return String(json.uid);
}

function deliveries(executions: StoredExecution[], node: string): string[] {
	return executions.filter((execution) => execution.nodes.includes(node)).flatMap((execution) => (execution.items[node] ?? []).map(bookingUid));
}

function tokenRequests(emulator: Emulator): LoggedRequest[] {
	return emulator.requestLog().filter((entry) => entry.method === 'POST' && entry.path.startsWith('/v2/auth/oauth2/token'));
}

function bookingReads(emulator: Emulator): LoggedRequest[] {
	return emulator.requestLog().filter((entry) => entry.method === 'GET' && entry.path.startsWith('/v2/bookings'));
}

async function main(): Promise<number> {
	const runtime = runtimeFromEnv('test/e2e/n8n-real.e2e.mjs');
	const stages = createStages();
	const stage = stages.run;
	const work = mkdtempSync(join(tmpdir(), 'n8n-e2e-'));
	const userFolder = join(work, 'user');
	mkdirSync(userFolder);
	let emulator: Emulator | undefined;
	let server: N8nServer | undefined;
	let db: N8nDatabase | undefined;
	let failed = false;
	try {
		const { customDir, tarballBytes } = await stage('build and pack the package', async () => packPackage(work));
		log(`  tarball ${(tarballBytes / 1024).toFixed(1)} KiB, loaded from ${customDir}`);

		emulator = await stage('start the Cal.com emulator', async () => startEmulator({ era: '2026', followRealTime: true, accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS }));
		const cal = emulator;
		const client = cal.seeded.clients.scoped;
		check(client.clientSecret !== undefined, 'the scoped seed client is confidential');
		const minted = cal.mintTokens({ clientId: client.clientId, scopes: SCOPES });
		// Its own OAuth client: a refresh deletes every refresh token of (client, user) (CALCOM.md §5),
		// so two credentials of one client and user would revoke each other's.
		const actionClient = cal.registerClient({ name: 'n8n e2e actions', redirectUris: [...DEFAULT_REDIRECT_URIS], scopes: ACTION_SCOPES });
		const mintedForActions = cal.mintTokens({ clientId: actionClient.clientId, scopes: ACTION_SCOPES });
		log(`  app ${cal.appUrl}, api ${cal.apiUrl}, access tokens live ${minted.expires_in} s`);

		const env: NodeJS.ProcessEnv = {
			...n8nEnvironment(runtime, { userFolder, customExtensions: customDir, port: await freePort(), brokerPort: await freePort() }),
			// The action workflow runs as a manual execution; its data must be kept to be read back.
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		};
		await stage('import credential and workflow, publish (n8n CLI)', async () => {
			const credentialFile = join(work, 'credential.json');
			const workflowFile = join(work, 'workflow.json');
			const credentialData = (owner: typeof client, tokens: typeof minted, scopes: string[]) => ({
				clientId: owner.clientId,
				clientSecret: owner.clientSecret,
				instance: 'self-hosted',
				appUrl: cal.appUrl,
				// A trailing slash: the credential's $self expressions must normalise it.
				apiUrl: `${cal.apiUrl}/`,
				scopes,
				// What n8n stores after "Connect": the token response plus its expiry.
				oauthTokenData: { ...tokens, n8n_expires_at: String(Date.now() + tokens.expires_in * 1000) },
			});
			writeFileSync(
				credentialFile,
				JSON.stringify([
					{ id: CREDENTIAL_ID, name: 'Cal.com (emulator)', type: 'calComOAuth2Api', data: credentialData(client, minted, SCOPES) },
					actionCredential(credentialData(actionClient, mintedForActions, ACTION_SCOPES)),
				]),
			);
			writeFileSync(workflowFile, JSON.stringify([workflowJson(), actionWorkflowJson(cal.clock.now())]));
			for (const args of [
				['import:credentials', `--input=${credentialFile}`],
				['import:workflow', `--input=${workflowFile}`],
				['publish:workflow', `--id=${WORKFLOW_ID}`],
			]) {
				const result = await runN8n(runtime, env, args);
				log(`  n8n ${args[0]}: exit ${result.code} in ${(result.ms / 1000).toFixed(1)} s`);
				if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${result.output}`);
			}
			// The credential file held live tokens; n8n has encrypted them into its database now.
			rmSync(credentialFile);
		});

		server = await stage('n8n start, until healthy', async () => N8nServer.start(runtime, env, Number(env.N8N_PORT), join(work, 'n8n.log')));
		const n8n = server;

		await stage('activation: each trigger records its baseline', async () => {
			await waitFor('three baseline reads of GET /v2/bookings', 90_000, async () => (bookingReads(cal).length >= 3 ? true : undefined));
		});
		db = await N8nDatabase.open(runtime.modules, userFolder);
		const store = db;
		check((await store.executions(WORKFLOW_ID)).length === 0, 'activation polls start no execution (baseline only)');

		const session: N8nSession = await stage('owner session and node types (REST)', async () => {
			const owner = await ownerSession(n8n.baseUrl, { email: 'owner@example.com', password: `E2e-${Date.now()}-owner` });
			log(`  ${await checkToolVariant(owner)}`);
			return owner;
		});

		const changes = await stage('Cal.com changes: create, cancel, reschedule', async () => {
			const upcoming = [...cal.store.bookings.values()]
				.filter((booking) => booking.userId === 1 && booking.status === 'ACCEPTED' && booking.start > cal.clock.now() + 3600_000 && booking.fromReschedule === null && booking.recurringEventId === null)
				.sort((a, b) => a.start - b.start);
			const [toCancel, toMove] = upcoming;
			check(toCancel !== undefined && toMove !== undefined, 'the seed has two upcoming bookings of alice');
			const created = cal.generator.createBooking({ title: 'E2E new booking' });
			cal.generator.cancelBooking(toCancel.uid, 'E2E cancellation');
			const replacement = cal.generator.rescheduleBooking(toMove.uid, toMove.start + 3 * 86_400_000, { reason: 'E2E reschedule' });
			log(`  created ${created.uid}, cancelled ${toCancel.uid}, rescheduled ${toMove.uid} → ${replacement.uid}`);
			return { created: created.uid, cancelled: toCancel.uid, moved: toMove.uid, replacement: replacement.uid };
		});

		// Run before the next poll tick, so the triggers deliver its bookings with the changes above.
		const action: ActionOutcome = await stage('action workflow: slots → create → reschedule → cancel (REST run)', async () => {
			const outcome = checkActionRun(await runActionWorkflow(session, store), cal);
			for (const line of outcome.summary) log(`  ${line}`);
			return outcome;
		});

		await stage('first deliveries (next poll tick)', async () => {
			await waitFor("the created, cancelled and rescheduled executions, the action workflow's included", 150_000, async () => {
				const executions = await store.executions(WORKFLOW_ID);
				const created = deliveries(executions, TRIGGERS.created.name);
				const cancelled = deliveries(executions, TRIGGERS.cancelled.name);
				const rescheduled = deliveries(executions, TRIGGERS.rescheduled.name);
				const done =
					[changes.created, action.createdUid].every((uid) => created.includes(uid)) &&
					[changes.cancelled, action.newUid].every((uid) => cancelled.includes(uid)) &&
					[changes.replacement, action.newUid].every((uid) => rescheduled.includes(uid));
				return done ? true : undefined;
			});
		});

		if (screenshotsRequested()) {
			await stage('editor screenshots for n8n-node/README.md', async () => {
				for (const line of await takeEditorScreenshots(session)) log(`  ${line}`);
			});
		}

		const second = await stage('token expiry: n8n refreshes, the next booking still arrives', async () => {
			const booking = cal.generator.createBooking({ title: 'E2E booking after expiry' });
			const minted403 = () =>
				cal.requestLog().some((entry) => entry.path.startsWith('/v2/bookings') && entry.status === 403);
			await waitFor('a refresh after an expired-token 403 and the delivery of the second booking', 240_000, async () => {
				const executions = await store.executions(WORKFLOW_ID);
				const refreshed = tokenRequests(cal).some((entry) => entry.status === 200);
				return refreshed && minted403() && deliveries(executions, TRIGGERS.created.name).includes(booking.uid) ? true : undefined;
			});
			return booking.uid;
		});

		await stage('one more quiet poll round', async () => {
			const before = bookingReads(cal).length;
			await waitFor('three more GET /v2/bookings', 90_000, async () => (bookingReads(cal).length >= before + 3 ? true : undefined));
			// Let the executions of that round (if any) be written.
			await new Promise((resolve) => setTimeout(resolve, 2000));
		});

		const staticData = await store.staticData(WORKFLOW_ID);
		const executions = await store.executions(WORKFLOW_ID);
		const actionRuns = (await store.executions(ACTION_WORKFLOW_ID)).length;
		await store.close();
		db = undefined;

		const stopped = await stage('stop n8n (SIGTERM)', async () => n8n.stop());
		server = undefined;
		log(`  exit ${stopped.code}, ${stopped.graceful ? 'graceful' : 'killed after time-out'}`);

		const exported = await stage('export the credential (n8n CLI, decrypted)', async () => {
			const file = join(work, 'credential-out.json');
			const result = await runN8n(runtime, env, ['export:credentials', `--id=${CREDENTIAL_ID}`, '--decrypted', `--output=${file}`]);
			if (result.code !== 0) throw new Error(`export:credentials failed:\n${result.output}`);
			const [credential] = JSON.parse(readFileSync(file, 'utf8')) as Array<{ data: { oauthTokenData?: Record<string, unknown> } }>;
			rmSync(file);
			return credential?.data.oauthTokenData ?? {};
		});

		// What n8n did; the token checks below add this test's own requests to the log.
		const n8nRequests = cal.requestLog().filter((item) => item.path.startsWith('/v2/'));
		await stage('assertions', async () => {
			log(`  executions: ${executions.map((execution) => `#${execution.id} ${execution.nodes.join('+')} ${execution.status} [${Object.values(execution.items).flat().map(bookingUid).join(', ')}]`).join('; ')}`);
			check(executions.length > 0, 'n8n recorded executions');
			for (const execution of executions) {
				check(execution.status === 'success', `execution #${execution.id} succeeded (got ${execution.status}${execution.error ? `: ${execution.error}` : ''})`);
				check(execution.mode === 'trigger', `execution #${execution.id} was started by the poll trigger (mode ${execution.mode})`);
			}
			const created = deliveries(executions, TRIGGERS.created.name);
			const cancelled = deliveries(executions, TRIGGERS.cancelled.name);
			const rescheduled = deliveries(executions, TRIGGERS.rescheduled.name);
			// The action workflow's booking counts as created although it was moved away before the
			// poll saw it; its replacement as rescheduled and, being cancelled, as cancelled.
			const expectCreated = [changes.created, action.createdUid, second];
			const expectCancelled = [changes.cancelled, action.newUid];
			const expectRescheduled = [changes.replacement, action.newUid];
			check(JSON.stringify(created) === JSON.stringify(expectCreated), `created delivered exactly ${expectCreated.join(', ')}, got ${JSON.stringify(created)}`);
			check(JSON.stringify(cancelled) === JSON.stringify(expectCancelled), `cancelled delivered exactly ${expectCancelled.join(', ')}, got ${JSON.stringify(cancelled)}`);
			check(JSON.stringify(rescheduled) === JSON.stringify(expectRescheduled), `rescheduled delivered exactly ${expectRescheduled.join(', ')}, got ${JSON.stringify(rescheduled)}`);
			check(actionRuns === 1, `the action workflow ran once (got ${actionRuns} executions)`);
			const rescheduledItem = executions.flatMap((execution) => execution.items[TRIGGERS.rescheduled.name] ?? [])[0];
			check(rescheduledItem?.event === 'booking_rescheduled' && rescheduledItem.rescheduledFromUid === changes.moved, 'the rescheduled item names its event and the booking it replaced');
			const createdItem = executions.flatMap((execution) => execution.items[TRIGGERS.created.name] ?? [])[0];
			check(createdItem?.event === 'booking_created' && typeof createdItem.start === 'string' && new Date(createdItem.start).toISOString() === createdItem.start, 'the created item names its event and carries ISO-8601 dates');

			const refreshes = tokenRequests(cal);
			const clientOf = (refresh: LoggedRequest) => new URLSearchParams(refresh.body).get('client_id');
			check(refreshes.some((refresh) => clientOf(refresh) === client.clientId), "n8n refreshed the triggers' access token");
			for (const refresh of refreshes) {
				check(refresh.path === '/v2/auth/oauth2/token', `the refresh went to the v2 token endpoint at its exact path (got ${refresh.path})`);
				const form = new URLSearchParams(refresh.body);
				check(JSON.stringify([...form.keys()]) === JSON.stringify(['refresh_token', 'grant_type', 'client_id', 'client_secret']), `n8n's body-mode refresh form (got ${refresh.body})`);
				check(form.get('grant_type') === 'refresh_token' && [client.clientId, actionClient.clientId].includes(form.get('client_id') ?? ''), 'refresh grant and client id');
				check(refresh.headers.authorization === undefined, 'no Basic authorization header on the refresh');
			}
			log(`  refreshes: ${refreshes.map((refresh) => `${refresh.status}${clientOf(refresh) === actionClient.clientId ? ' (actions)' : ''}`).join(', ')} (${bookingReads(cal).filter((entry) => entry.status === 403).length} expired-token 403s on GET /v2/bookings)`);
			check(refreshes.every((refresh) => refresh.status === 200), 'every refresh succeeded (no concurrent refresh revoked another)');

			const stored = String(exported.refresh_token ?? '');
			check(stored !== '' && stored !== minted.refresh_token, 'n8n stored a new refresh token');
			const tryRefresh = async (token: string) =>
				(
					await fetch(`${cal.apiUrl}/v2/auth/oauth2/token`, {
						method: 'POST',
						headers: { 'content-type': 'application/x-www-form-urlencoded' },
						body: new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret ?? '', grant_type: 'refresh_token', refresh_token: token }).toString(),
					})
				).status;
			check((await tryRefresh(minted.refresh_token)) === 400, 'the minted refresh token was revoked by rotation');
			check((await tryRefresh(stored)) === 200, 'the refresh token n8n stored is the live one');

			for (const trigger of Object.values(TRIGGERS)) {
				const slot = staticData[`node:${trigger.name}`] as Record<string, unknown> | undefined;
				const state = slot?.calcomPollState as { event?: string } | undefined;
				check(state?.event === trigger.event, `static data holds the poll state of "${trigger.name}" under node:<name>`);
			}
			log(`  static data: ${JSON.stringify(staticData).length} bytes for three triggers`);
		});
		log('\nWhat n8n sent to Cal.com (emulator request log, real time, secrets masked by the emulator):');
		const origin = n8nRequests[0]?.at;
		for (const entry of n8nRequests) {
			const offset = origin === undefined ? 0 : (Date.parse(entry.at) - Date.parse(origin)) / 1000;
			const detail = entry.method === 'POST' ? ` ${entry.body}` : '';
			log(`  +${offset.toFixed(1).padStart(6)} s  ${entry.method.padEnd(4)} ${entry.path.split('?')[0]} → ${entry.status ?? 'no answer'}${detail}`);
		}
	} catch (error) {
		failed = true;
		reportFailure(error, server);
	} finally {
		await db?.close();
		if (server !== undefined) await server.stop();
		await emulator?.close();
		removeWorkFolder(work, failed);
	}
	stages.print('n8n e2e stages', 60);
	log(failed ? 'n8n e2e: FAILED' : `n8n e2e: passed (n8n ${runtime.version})`);
	return failed ? 1 : 0;
}

exitWith('n8n e2e', main);
