/**
 * Reads what a real n8n recorded, straight from its SQLite database, with n8n's own sqlite3 and
 * flatted modules (so the reader matches the writer's format exactly).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface SqliteDatabase {
	all(sql: string, params: unknown[], callback: (error: Error | null, rows: Array<Record<string, unknown>>) => void): void;
	close(callback: (error: Error | null) => void): void;
}

interface SqliteModule {
	Database: new (file: string, mode: number, callback: (error: Error | null) => void) => SqliteDatabase;
	OPEN_READONLY: number;
}

/** One execution as n8n stored it, reduced to what the assertions need. */
export interface StoredExecution {
	id: number;
	status: string;
	mode: string;
	startedAt: string;
	/** The nodes that ran (a poll execution runs exactly its trigger). */
	nodes: string[];
	/** `json` of every item each node produced. */
	items: Record<string, Array<Record<string, unknown>>>;
	error?: string;
}

export class N8nDatabase {
	private constructor(
		private readonly db: SqliteDatabase,
		private readonly flatted: { parse(text: string): unknown },
	) {}

	/** Opens `<userFolder>/.n8n/database.sqlite` read-only. */
	static async open(n8nModules: string, userFolder: string): Promise<N8nDatabase> {
		const requireFromN8n = createRequire(join(n8nModules, 'n8n', 'package.json'));
		const sqlite = requireFromN8n('sqlite3') as SqliteModule;
		const flatted = requireFromN8n('flatted') as { parse(text: string): unknown };
		const file = join(userFolder, '.n8n', 'database.sqlite');
		const db = await new Promise<SqliteDatabase>((resolve, reject) => {
			const handle = new sqlite.Database(file, sqlite.OPEN_READONLY, (error) => (error ? reject(error) : resolve(handle)));
		});
		return new N8nDatabase(db, flatted);
	}

	async query(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
		return await new Promise((resolve, reject) => {
			this.db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows)));
		});
	}

	/** Every execution of a workflow, oldest first, with its node outputs. */
	async executions(workflowId: string): Promise<StoredExecution[]> {
		const rows = await this.query(
			`SELECT e.id, e.status, e.mode, e.startedAt, d.data FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id`,
			[workflowId],
		);
		return rows.map((row) => {
			const execution: StoredExecution = {
				id: Number(row.id),
				status: String(row.status),
				mode: String(row.mode),
				startedAt: String(row.startedAt),
				nodes: [],
				items: {},
			};
			if (typeof row.data !== 'string' || row.data === '') return execution;
			// A manual execution's row can exist before its data does (stored as an empty flatted list).
			const data = (this.flatted.parse(row.data) ?? {}) as {
				resultData?: { error?: { message?: string }; runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>> };
			};
			const runData = data.resultData?.runData ?? {};
			execution.nodes = Object.keys(runData);
			for (const [node, runs] of Object.entries(runData)) {
				execution.items[node] = runs.flatMap((run) => (run.data?.main ?? []).flatMap((output) => (output ?? []).map((item) => item.json)));
			}
			if (data.resultData?.error?.message !== undefined) execution.error = data.resultData.error.message;
			return execution;
		});
	}

	/** The workflow's persisted static data (where poll triggers keep their state). */
	async staticData(workflowId: string): Promise<Record<string, unknown>> {
		const [row] = await this.query('SELECT staticData FROM workflow_entity WHERE id = ?', [workflowId]);
		const value = row?.staticData;
		if (typeof value === 'string' && value !== '') return JSON.parse(value) as Record<string, unknown>;
		return (value as Record<string, unknown> | null | undefined) ?? {};
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => this.db.close(() => resolve()));
	}
}
