/**
 * PostgreSQL and Redis for the queue-mode soak, from Debian's packages, started on free loopback
 * ports in a scratch folder and stopped at the end. Installed with apt-get when missing (as root).
 * PostgreSQL refuses to run as root, so as root its cluster belongs to the `postgres` OS user that
 * the Debian package creates, and every PostgreSQL command runs through `runuser -u postgres`.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { freePort } from './n8n-process';

const isRoot = process.getuid?.() === 0;

function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const versions = readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
	return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
}

/** Installs `postgresql` and `redis-server` when missing; returns PostgreSQL's bin folder. */
export function ensureServicePackages(log: (line: string) => void): string {
	const missing = [postgresBinDir() === undefined ? 'postgresql' : undefined, existsSync('/usr/bin/redis-server') ? undefined : 'redis-server'].filter(
		(name): name is string => name !== undefined,
	);
	if (missing.length > 0) {
		if (!isRoot) throw new Error(`Missing Debian packages: install them with \`sudo apt-get install -y ${missing.join(' ')}\` and run again.`);
		log(`  installing ${missing.join(', ')} (apt-get)`);
		const install = () => spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status;
		if (install() !== 0) {
			spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
			if (install() !== 0) throw new Error(`apt-get install -y ${missing.join(' ')} failed`);
		}
	}
	const bin = postgresBinDir();
	if (bin === undefined) throw new Error('postgresql is installed but no /usr/lib/postgresql/<version>/bin/initdb was found');
	return bin;
}

function asPostgresUser(command: string, args: string[]): [string, string[]] {
	return isRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export interface Postgres {
	port: number;
	database: string;
	user: string;
	stop(): void;
}

/** initdb + pg_ctl start in `folder` (trust auth on loopback only); one database for n8n. */
export async function startPostgres(bin: string, folder: string): Promise<Postgres> {
	mkdirSync(folder, { recursive: true });
	if (isRoot) {
		// The scratch folder's parent is root's 0700 temp folder: postgres may pass through it (0711), not list it.
		chmodSync(dirname(folder), 0o711);
		const postgresUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		const postgresGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		chownSync(folder, postgresUid, postgresGid);
	}
	const data = join(folder, 'data');
	const port = await freePort();
	const user = 'n8n';
	const run = (command: string, args: string[]) => {
		const [file, argv] = asPostgresUser(join(bin, command), args);
		const result = spawnSync(file, argv, { cwd: folder, encoding: 'utf8' });
		if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
	};
	run('initdb', ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--no-locale']);
	run('pg_ctl', ['-D', data, '-l', join(folder, 'postgres.log'), '-w', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${folder} -c fsync=off`, 'start']);
	const stop = () => {
		const [file, argv] = asPostgresUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
		spawnSync(file, argv, { stdio: 'ignore' });
	};
	try {
		run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', user, 'n8n']);
	} catch (error) {
		stop();
		throw error;
	}
	return { port, database: 'n8n', user, stop };
}

/** One redis-server on a loopback port; `restart()` stops it (SIGTERM) and starts it again on the same port and folder. */
export class Redis {
	private child: ChildProcess | undefined;

	private constructor(
		readonly port: number,
		private readonly folder: string,
	) {}

	static async start(folder: string): Promise<Redis> {
		mkdirSync(folder, { recursive: true });
		const redis = new Redis(await freePort(), folder);
		await redis.launch();
		return redis;
	}

	private async launch(): Promise<void> {
		// No RDB snapshots; an append-only file, as a production Redis behind Bull has, so the queue's
		// jobs survive the restart (without it a restart would drop waiting jobs, which is Redis's
		// durability setting, not n8n's or the node's behaviour).
		const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.folder, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'yes'], {
			stdio: 'ignore',
			detached: true,
		});
		this.child = child;
		const deadline = Date.now() + 15_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
			const ping = spawnSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' });
			if (ping.stdout.trim() === 'PONG') return;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error('redis-server did not answer PING within 15 s');
	}

	async restart(): Promise<number> {
		const started = Date.now();
		await this.stop();
		await this.launch();
		return Date.now() - started;
	}

	async stop(): Promise<void> {
		const child = this.child;
		this.child = undefined;
		if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		await exited;
		clearTimeout(timer);
	}
}
