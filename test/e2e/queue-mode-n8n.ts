/**
 * One n8n process of a queue-mode instance (`n8n start` as main, `n8n worker`), in its own process
 * group so a kill reaches the task runner it spawns too. Keeps its output, knows which executions
 * it is running (from the worker's own log lines) and reads its peak memory from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';

import type { N8nRuntime } from './n8n-process';

export type N8nRole = 'main' | 'worker' | 'webhook';

/** What main and workers of one instance share: queue mode over PostgreSQL and Redis. */
export function queueModeEnvironment(base: NodeJS.ProcessEnv, services: { postgresPort: number; database: string; user: string; redisPort: number; encryptionKey: string }): NodeJS.ProcessEnv {
	return {
		...base,
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(services.postgresPort),
		DB_POSTGRESDB_DATABASE: services.database,
		DB_POSTGRESDB_USER: services.user,
		DB_POSTGRESDB_PASSWORD: '',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(services.redisPort),
		// Every process decrypts the same credential rows, so they share the key (not each user folder's own).
		N8N_ENCRYPTION_KEY: services.encryptionKey,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
	};
}

export class QueueModeProcess {
	private output = '';
	private child: ChildProcess | undefined;
	private exited: Promise<void> = Promise.resolve();
	private peakRssKb = 0;
	private sampler: NodeJS.Timeout | undefined;
	/** Executions this worker logged as started and not (yet) as finished. */
	readonly running = new Set<string>();
	/** Every execution this worker logged as started, over all its runs. */
	readonly started = new Set<string>();
	starts = 0;

	constructor(
		readonly role: N8nRole,
		readonly label: string,
		private readonly runtime: N8nRuntime,
		private readonly env: NodeJS.ProcessEnv,
		/** The port whose `/healthz` says the process is up (N8N_PORT for main and webhook, QUEUE_HEALTH_CHECK_PORT for a worker). */
		private readonly healthPort: number,
		private readonly logPath: string,
	) {}

	get pid(): number | undefined {
		return this.child?.pid;
	}

	get alive(): boolean {
		return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
	}

	/** Peak resident memory over every run of this process (VmHWM, sampled; MiB). */
	get peakRssMiB(): number {
		this.sample();
		return this.peakRssKb / 1024;
	}

	get log(): string {
		return this.output;
	}

	tail(lines: number): string {
		return this.output.split('\n').slice(-lines).join('\n');
	}

	private sample(): void {
		const pid = this.child?.pid;
		if (pid === undefined || !this.alive) return;
		try {
			const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
			if (match?.[1] !== undefined) this.peakRssKb = Math.max(this.peakRssKb, Number(match[1]));
		} catch {
			// Gone between the check and the read.
		}
	}

	async start(timeoutMs = 180_000): Promise<void> {
		const args = { main: ['start'], worker: ['worker', '--concurrency=10'], webhook: ['webhook'] }[this.role];
		const child = spawn(this.runtime.node, [this.runtime.bin, ...args], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		this.child = child;
		this.starts += 1;
		this.running.clear();
		const file = createWriteStream(this.logPath, { flags: 'a' });
		const keep = (chunk: Buffer) => {
			const text = chunk.toString();
			file.write(chunk);
			this.output = (this.output + text).slice(-400_000);
			for (const match of text.matchAll(/Worker (started|finished) execution (\d+)/g)) {
				if (match[1] === 'started') {
					this.running.add(match[2] ?? '');
					this.started.add(match[2] ?? '');
				}
				else this.running.delete(match[2] ?? '');
			}
		};
		child.stdout?.on('data', keep);
		child.stderr?.on('data', keep);
		this.exited = new Promise((resolve) => child.once('exit', () => {
			file.end();
			resolve();
		}));
		this.sampler = setInterval(() => this.sample(), 1000);
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!this.alive) throw new Error(`${this.label} exited before it was ready:\n${this.tail(40)}`);
			try {
				// The webhook process answers /healthz before it mounts the webhook routes (an Express 404
				// until then); it logs this line once they are mounted (n8n `commands/webhook.js`).
				const routesMounted = this.role !== 'webhook' || this.output.includes('Webhook listener waiting for requests');
				if (routesMounted && (await fetch(`http://127.0.0.1:${this.healthPort}/healthz`)).ok) return;
			} catch {
				// Not listening yet.
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`${this.label} was not healthy within ${timeoutMs / 1000} s:\n${this.tail(40)}`);
	}

	/** SIGKILL to the whole process group: no shutdown hooks run, as when a container is killed. */
	async kill(): Promise<void> {
		this.sample();
		const pid = this.child?.pid;
		if (pid !== undefined && this.alive) process.kill(-pid, 'SIGKILL');
		await this.exited;
		clearInterval(this.sampler);
	}

	/** SIGTERM (n8n's graceful shutdown), SIGKILL to the group after `timeoutMs`. */
	async stop(timeoutMs = 30_000): Promise<void> {
		this.sample();
		const pid = this.child?.pid;
		if (pid !== undefined && this.alive) {
			process.kill(pid, 'SIGTERM');
			const timer = setTimeout(() => {
				try {
					process.kill(-pid, 'SIGKILL');
				} catch {
					// Already gone.
				}
			}, timeoutMs);
			await this.exited;
			clearTimeout(timer);
		}
		// The task runner may outlive a graceful main; nothing of this group stays behind.
		if (pid !== undefined) {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// The group is empty.
			}
		}
		clearInterval(this.sampler);
	}
}
