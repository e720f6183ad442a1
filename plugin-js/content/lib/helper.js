// Finding or starting the helper (`sieve serve`). Contract: client() resolves with a SieveClient
// whose token was read from <state-dir>/token and whose /v1/health answered, or rejects with a
// SieveError that says what is wrong: `no_helper` (the program could not be found or started:
// with no executable in the preferences, `sieve` is looked up on PATH, where the Debian package
// puts it), `unreachable` (it did not answer in time, or stopped at once), `unauthorized` (wrong
// token). A helper started here is stopped by stop(); one found running is left alone.
'use strict';

const { SieveClient, SieveError } = require('./client.js');

/** The program started when no helper executable is set: found on PATH. */
const DEFAULT_EXECUTABLE = 'sieve';

class HelperManager {
	/**
	 * @param {object} ctx
	 * @param {import("./client.js").HttpLike} ctx.http - Zotero.HTTP
	 * @param {() => { port: number, stateDir: string, executable: string, dbPath: string, tagPrefix?: string, llm?: { model?: string, url?: string, mode?: string } }} ctx.settings
	 * @param {(path: string) => Promise<string | null>} ctx.readToken - the file's text, null if absent
	 * @param {(command: string, args: string[]) => Promise<{ kill: () => any, exited?: Promise<any> }>} ctx.spawn
	 *   - rejects when the program cannot be found or started; `exited` settles when it stops
	 * @param {(ms: number) => Promise<void>} [ctx.sleep]
	 * @param {number} [ctx.startTimeoutMs]
	 * @param {(a: string, b: string) => string} [ctx.joinPath]
	 */
	constructor(ctx) {
		this.ctx = ctx;
		this.sleep = ctx.sleep || (ms => new Promise(r => setTimeout(r, ms)));
		this.startTimeoutMs = ctx.startTimeoutMs ?? 20000;
		this.join = ctx.joinPath || ((a, b) => `${a.replace(/\/+$/, '')}/${b}`);

		/** @type {{ kill: () => any, exited?: Promise<any> } | null} */
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
		const command = s.executable || DEFAULT_EXECUTABLE;
		const args = ['serve', '--port', String(s.port), '--db', s.dbPath, '--state-dir', s.stateDir];
		if (s.tagPrefix) args.push('--tag-prefix', s.tagPrefix);
		args.push(...llmArgs(s.llm));
		try {
			this.process = await this.ctx.spawn(command, args);
		}
		catch (e) {
			const err = new SieveError('no_helper', s.executable
				? `Could not start the Sieve helper "${s.executable}" set in the Sieve settings (${e})`
				: `The Sieve helper program "${DEFAULT_EXECUTABLE}" was not found (${e})`);
			/** @type {any} */ (err).configured = !!s.executable;
			throw err;
		}
		let exited = false;
		this.process.exited?.then(() => {
			exited = true;
		}, () => {
			exited = true;
		});
		return this.waitForHealth(() => exited);
	}

	/** @param {() => boolean} [hasExited] */
	async waitForHealth(hasExited = () => false) {
		const deadline = Date.now() + this.startTimeoutMs;
		let last = null;
		while (Date.now() < deadline) {
			if (hasExited()) {
				this.process = null;
				throw new SieveError('unreachable', 'The Sieve helper stopped right after it was started'
					+ ' (Zotero\'s debug output shows what it printed)');
			}
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

module.exports = { HelperManager, DEFAULT_EXECUTABLE };
