// Finding or starting the helper (`sieve serve`). Contract: client() resolves with a SieveClient
// whose token was read from <state-dir>/token and whose /v1/health answered, or rejects with a
// SieveError that says what is wrong (not running and no executable configured, did not start in
// time, wrong token). A helper started here is stopped by stop(); one found running is left alone.
'use strict';

const { SieveClient, SieveError } = require('./client.js');

class HelperManager {
	/**
	 * @param {object} ctx
	 * @param {import("./client.js").HttpLike} ctx.http - Zotero.HTTP
	 * @param {() => { port: number, stateDir: string, executable: string, dbPath: string, tagPrefix?: string, llm?: { model?: string, url?: string, mode?: string } }} ctx.settings
	 * @param {(path: string) => Promise<string | null>} ctx.readToken - the file's text, null if absent
	 * @param {(command: string, args: string[]) => Promise<{ kill: () => any }>} ctx.spawn
	 * @param {(ms: number) => Promise<void>} [ctx.sleep]
	 * @param {number} [ctx.startTimeoutMs]
	 * @param {(a: string, b: string) => string} [ctx.joinPath]
	 */
	constructor(ctx) {
		this.ctx = ctx;
		this.sleep = ctx.sleep || (ms => new Promise(r => setTimeout(r, ms)));
		this.startTimeoutMs = ctx.startTimeoutMs ?? 20000;
		this.join = ctx.joinPath || ((a, b) => `${a.replace(/\/+$/, '')}/${b}`);

		/** @type {{ kill: () => any } | null} */
		this.process = null;

		/** @type {Promise<SieveClient> | null} */
		this.starting = null;
	}

	/** @returns {Promise<SieveClient>} */
	async client() {
		const found = await this.tryConnect();
		if (found.client) return found.client;
		if (found.error && found.error.code !== 'unreachable' && found.error.code !== 'no_token') throw found.error;
		if (!this.starting) this.starting = this.start().finally(() => {
			this.starting = null;
		});
		return this.starting;
	}

	/** @returns {Promise<{ client?: SieveClient, error?: SieveError }>} */
	async tryConnect() {
		const s = this.ctx.settings();
		const token = await this.ctx.readToken(this.join(s.stateDir, 'token')).catch(() => null);
		if (!token || !token.trim()) return { error: new SieveError('no_token', 'no token file') };
		const client = new SieveClient({ http: this.ctx.http, port: s.port, token: token.trim() });
		try {
			client.info = await client.health();
			return { client };
		}
		catch (e) {
			return { error: /** @type {SieveError} */ (e) };
		}
	}

	async start() {
		const s = this.ctx.settings();
		if (!s.executable) {
			throw new SieveError('unreachable', `The Sieve helper is not running on port ${s.port}, `
				+ 'and no helper executable is set in the Sieve preferences');
		}
		const args = ['serve', '--port', String(s.port), '--db', s.dbPath, '--state-dir', s.stateDir];
		if (s.tagPrefix) args.push('--tag-prefix', s.tagPrefix);
		args.push(...llmArgs(s.llm));
		try {
			this.process = await this.ctx.spawn(s.executable, args);
		}
		catch (e) {
			throw new SieveError('unreachable', `Could not start the Sieve helper ${s.executable}: ${e}`);
		}
		return this.waitForHealth();
	}

	async waitForHealth() {
		const deadline = Date.now() + this.startTimeoutMs;
		let last = null;
		while (Date.now() < deadline) {
			const found = await this.tryConnect();
			if (found.client) return found.client;
			last = found.error;
			await this.sleep(250);
		}
		throw new SieveError('unreachable', `The Sieve helper did not start within ${this.startTimeoutMs / 1000} s`
			+ (last ? ` (${last.message})` : ''));
	}

	/** Stops the helper if it was started here. */
	stop() {
		const p = this.process;
		this.process = null;
		if (p) {
			try {
				p.kill();
			}
			catch {
				// already gone
			}
		}
	}
}

/**
 * The `sieve serve --llm-*` flags for the LLM preferences (none without a model).
 * @param {{model?: string, url?: string, mode?: string} | undefined} llm
 * @returns {string[]}
 */
function llmArgs(llm) {
	if (!llm || !llm.model) return [];
	const args = ['--llm-model', llm.model];
	if (llm.url) args.push('--llm-url', llm.url);
	if (llm.mode) args.push('--llm-mode', llm.mode);
	return args;
}

module.exports = { HelperManager };
