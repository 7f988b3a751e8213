/**
 * Runs a real n8n (installed by test/toolchain/n8n.mjs) as child processes: one-shot CLI commands
 * (`import:credentials`, `import:workflow`, `publish:workflow`, `export:credentials`) and the
 * server (`n8n start`), each with an isolated user folder, loopback-only ports and the package
 * under test loaded from a custom extensions folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';

/** Where the pinned n8n and Node 24 live (see test/toolchain/n8n.mjs `ensureN8n`). */
export interface N8nRuntime {
	bin: string;
	node: string;
	modules: string;
	version: string;
}

export interface N8nInstanceSettings {
	/** Empty folder used as N8N_USER_FOLDER (database, config, encryption key). */
	userFolder: string;
	/** Folder n8n scans for `*.node.js` and `*.credentials.js` (node types become `CUSTOM.<name>`). */
	customExtensions: string;
	port: number;
	brokerPort: number;
}

/** A free loopback TCP port. */
/** Ports this run has handed out: a port is only free until someone binds it, and processes start later. */
const handedOut = new Set<number>();

/** A loopback port free now and not handed out before in this run (two n8n processes never get the same one). */
export async function freePort(): Promise<number> {
	for (;;) {
		const port = await new Promise<number>((resolve, reject) => {
			const server = createServer();
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const address = server.address();
				const bound = typeof address === 'object' && address !== null ? address.port : 0;
				server.close(() => resolve(bound));
			});
		});
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
}

/** The environment every n8n process of one instance shares. */
export function n8nEnvironment(runtime: N8nRuntime, settings: N8nInstanceSettings): NodeJS.ProcessEnv {
	return {
		PATH: `${dirname(runtime.node)}:${process.env.PATH ?? ''}`,
		HOME: settings.userFolder,
		N8N_USER_FOLDER: settings.userFolder,
		N8N_CUSTOM_EXTENSIONS: settings.customExtensions,
		// isolated-vm (the default "vm" engine) is not built by the install; the legacy engine needs nothing native.
		N8N_EXPRESSION_ENGINE: 'legacy',
		N8N_PORT: String(settings.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		// The task broker defaults to 127.0.0.1:5679; a per-run port lets runs (and a developer's n8n) coexist.
		N8N_RUNNERS_BROKER_PORT: String(settings.brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		NODE_ENV: 'production',
		TZ: 'UTC',
	};
}

export interface CommandResult {
	code: number;
	output: string;
	ms: number;
}

/** Runs `n8n <args>` to completion. */
export async function runN8n(runtime: N8nRuntime, env: NodeJS.ProcessEnv, args: string[], timeoutMs = 120_000): Promise<CommandResult> {
	const started = Date.now();
	return await new Promise((resolve) => {
		const child = spawn(runtime.node, [runtime.bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const keep = (chunk: Buffer) => {
			output = (output + chunk.toString()).slice(-20_000);
		};
		child.stdout.on('data', keep);
		child.stderr.on('data', keep);
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			resolve({ code: code ?? (signal === null ? 1 : 128), output, ms: Date.now() - started });
		});
	});
}

/** A running `n8n start`. */
export class N8nServer {
	private output = '';
	private exited: Promise<number>;

	private constructor(
		private readonly child: ChildProcess,
		readonly baseUrl: string,
		logFile: WriteStream,
	) {
		const keep = (chunk: Buffer) => {
			logFile.write(chunk);
			this.output = (this.output + chunk.toString()).slice(-200_000);
		};
		child.stdout?.on('data', keep);
		child.stderr?.on('data', keep);
		this.exited = new Promise((resolve) => {
			child.on('exit', (code, signal) => {
				logFile.end();
				resolve(code ?? (signal === null ? 1 : 128));
			});
		});
	}

	/** Starts `n8n start` and resolves once `/healthz` answers. */
	static async start(runtime: N8nRuntime, env: NodeJS.ProcessEnv, port: number, logPath: string, timeoutMs = 120_000): Promise<N8nServer> {
		const child = spawn(runtime.node, [runtime.bin, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		const server = new N8nServer(child, `http://127.0.0.1:${port}`, createWriteStream(logPath));
		const deadline = Date.now() + timeoutMs;
		let exitCode: number | undefined;
		void server.exited.then((code) => (exitCode = code));
		while (Date.now() < deadline) {
			if (exitCode !== undefined) throw new Error(`n8n start exited with ${exitCode} before it was ready:\n${server.tail(40)}`);
			try {
				const response = await fetch(`${server.baseUrl}/healthz`);
				if (response.ok) return server;
			} catch {
				// Not listening yet.
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		await server.stop();
		throw new Error(`n8n did not become healthy within ${timeoutMs / 1000} s:\n${server.tail(40)}`);
	}

	/** Everything n8n printed so far. */
	get log(): string {
		return this.output;
	}

	tail(lines: number): string {
		return this.output.split('\n').slice(-lines).join('\n');
	}

	/** SIGTERM and wait for n8n's own graceful shutdown (SIGKILL after `timeoutMs`). */
	async stop(timeoutMs = 30_000): Promise<{ code: number; ms: number; graceful: boolean }> {
		const started = Date.now();
		if (this.child.exitCode !== null || this.child.signalCode !== null) return { code: this.child.exitCode ?? 1, ms: 0, graceful: true };
		this.child.kill('SIGTERM');
		let graceful = true;
		const timer = setTimeout(() => {
			graceful = false;
			this.child.kill('SIGKILL');
		}, timeoutMs);
		const code = await this.exited;
		clearTimeout(timer);
		return { code, ms: Date.now() - started, graceful };
	}
}
