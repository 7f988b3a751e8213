/**
 * Reads what n8n recorded in PostgreSQL (executions, static data, the credential row), with n8n's
 * own `pg` and `flatted` modules so the reader matches the writer's format exactly.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

interface PgClient {
	connect(): Promise<void>;
	query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>>; rowCount: number | null }>;
	end(): Promise<void>;
}

/** One execution reduced to what the soak counts. */
export interface QueueExecution {
	id: number;
	workflowId: string;
	status: string;
	/** n8n's error message for a failed execution. */
	error?: string;
	/** `json` of the trigger's items: from its run data, or still in the execution stack when the run never started or crashed. */
	items: Array<Record<string, unknown>>;
}

type ExecutionData = {
	resultData?: {
		error?: { message?: string }; runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>> };
	executionData?: { nodeExecutionStack?: Array<{ node?: { name?: string }; data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }> };
};

export class QueueModeDatabase {
	private constructor(
		private readonly client: PgClient,
		private readonly flatted: { parse(text: string): unknown },
	) {}

	static async open(n8nModules: string, settings: { port: number; database: string; user: string }): Promise<QueueModeDatabase> {
		const requireFromN8n = createRequire(join(n8nModules, 'n8n', 'package.json'));
		const pg = requireFromN8n('pg') as { Client: new (config: Record<string, unknown>) => PgClient };
		const flatted = requireFromN8n('flatted') as { parse(text: string): unknown };
		const client = new pg.Client({ host: '127.0.0.1', port: settings.port, database: settings.database, user: settings.user });
		await client.connect();
		return new QueueModeDatabase(client, flatted);
	}

	async query(sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
		return (await this.client.query(sql, params)).rows;
	}

	/** Every execution of the given workflows, oldest first, with the trigger node's items. */
	async executions(triggerName: string, workflowIdPrefix: string): Promise<QueueExecution[]> {
		const rows = await this.query(
			`SELECT e.id, e."workflowId", e.status, d.data FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" LIKE $1 ORDER BY e.id`,
			[`${workflowIdPrefix}%`],
		);
		return rows.map((row) => {
			const execution: QueueExecution = { id: Number(row.id), workflowId: String(row.workflowId), status: String(row.status), items: [] };
			if (typeof row.data !== 'string' || row.data === '') return execution;
			const data = this.flatted.parse(row.data) as ExecutionData;
			const runs = data.resultData?.runData?.[triggerName];
			const outputs = runs !== undefined
				? runs.flatMap((run) => run.data?.main ?? [])
				: (data.executionData?.nodeExecutionStack ?? []).filter((entry) => entry.node?.name === triggerName).flatMap((entry) => entry.data?.main ?? []);
			if (data.resultData?.error?.message !== undefined) execution.error = data.resultData.error.message;
			execution.items = outputs.flatMap((output) => (output ?? []).map((item) => item.json));
			return execution;
		});
	}

	/** Executions still queued or running (the soak drains until none are left). */
	async unfinished(workflowIdPrefix: string): Promise<number> {
		const [row] = await this.query(`SELECT count(*)::int AS n FROM execution_entity WHERE "workflowId" LIKE $1 AND status IN ('new', 'running', 'waiting')`, [`${workflowIdPrefix}%`]);
		return Number(row?.n ?? 0);
	}

	async staticData(workflowId: string): Promise<Record<string, unknown>> {
		const [row] = await this.query(`SELECT "staticData" FROM workflow_entity WHERE id = $1`, [workflowId]);
		const value = row?.staticData;
		if (typeof value === 'string' && value !== '') return JSON.parse(value) as Record<string, unknown>;
		return (value as Record<string, unknown> | null | undefined) ?? {};
	}

	/** Publishes imported workflows as `n8n publish:workflow` does (active, current version), in one statement. */
	async publish(workflowIds: string[]): Promise<number> {
		const rows = await this.query(
			`UPDATE workflow_entity w SET active = true, "activeVersionId" = w."versionId" WHERE w.id = ANY($1) AND EXISTS (SELECT 1 FROM workflow_history h WHERE h."workflowId" = w.id AND h."versionId" = w."versionId") RETURNING w.id`,
			[workflowIds],
		);
		return rows.length;
	}

	async close(): Promise<void> {
		await this.client.end();
	}
}
