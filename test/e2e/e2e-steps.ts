/**
 * The plumbing every real-n8n e2e script shares (n8n-real.ts, n8n-instant.ts; queue-mode.ts can
 * adopt it): the runtime the launcher (n8n-launch.mjs) hands over, timed stages with a summary
 * table, assertions and waits, and the exit code. Each script keeps only its own stages.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import type { N8nRuntime } from './n8n-process';

export const log = (line: string): void => {
	process.stdout.write(`${line}\n`);
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function check(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(`assertion failed: ${message}`);
}

/** Polls `probe` every `everyMs` until it returns a value; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 1000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await sleep(everyMs);
	}
}

/** The installed n8n, from the environment the launcher sets; `launcher` names the script to run instead. */
export function runtimeFromEnv(launcher: string): N8nRuntime {
	const { N8N_E2E_BIN: bin, N8N_E2E_NODE: node, N8N_E2E_MODULES: modules } = process.env;
	if (!bin || !node || !modules) throw new Error(`run through node ${launcher}, which installs n8n and sets N8N_E2E_*`);
	return { bin, node, modules, version: process.env.N8N_E2E_VERSION ?? 'unknown' };
}

export interface Stages {
	/** Runs one named stage, printing its name and how long it took, also when it fails. */
	run<T>(name: string, body: () => Promise<T>): Promise<T>;
	/** The table of stage times under `title`, names padded to `width`. */
	print(title: string, width: number): void;
}

export function createStages(): Stages {
	const started = Date.now();
	const timings: Array<{ stage: string; seconds: number }> = [];
	return {
		async run(name, body) {
			const stageStarted = Date.now();
			log(`\n▶ ${name}`);
			try {
				return await body();
			} finally {
				const seconds = (Date.now() - stageStarted) / 1000;
				timings.push({ stage: name, seconds });
				log(`  ${name}: ${seconds.toFixed(1)} s`);
			}
		},
		print(title, width) {
			log(`\n${title}`);
			for (const timing of timings) log(`  ${timing.stage.padEnd(width)} ${timing.seconds.toFixed(1).padStart(6)} s`);
			log(`  ${'total'.padEnd(width)} ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`);
		},
	};
}

/** Runs a script's `main` and exits with its code; a crash is printed under `name` and exits 1. */
export function exitWith(name: string, main: () => Promise<number>): void {
	main().then(
		(code) => process.exit(code),
		(error: unknown) => {
			log(`${name} crashed: ${error instanceof Error ? error.stack : String(error)}`);
			process.exit(1);
		},
	);
}

/** Says why the run failed, with the end of n8n's log when n8n was still running. */
export function reportFailure(error: unknown, server: { tail(lines: number): string } | undefined): void {
	log(`\n✖ ${error instanceof Error ? error.message : String(error)}`);
	if (server !== undefined) log(`--- last n8n log lines ---\n${server.tail(60)}`);
}

/** Removes the run's folder (n8n's user folder and log), except after a failure on CI, where the log is kept to read. */
export function removeWorkFolder(work: string, failed: boolean): void {
	const logFile = readdirSync(work).includes('n8n.log') ? join(work, 'n8n.log') : undefined;
	if (failed && logFile !== undefined && process.env.CI !== undefined) log(`(n8n log kept at ${logFile})`);
	else rmSync(work, { recursive: true, force: true });
}
