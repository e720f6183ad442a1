// Client for the `sieve serve` HTTP API (docs/http-api.md), over Zotero.HTTP.request.
// Contract: every call either resolves with the parsed JSON body of a 2xx answer or rejects with a
// SieveError whose `code` is the server's error code, or one of `unreachable`, `timeout`,
// `bad_response`. Never retries: Zotero.HTTP.request is called with errorDelayMax 0 and
// successCodes false, so a 5xx comes back at once instead of being retried for up to an hour.
'use strict';

const DEFAULT_TIMEOUT_MS = 30000;

class SieveError extends Error {
	/**
	 * @param {string} code
	 * @param {string} message
	 * @param {number} [status]
	 */
	constructor(code, message, status = 0) {
		super(message);
		this.name = 'SieveError';
		this.code = code;
		this.status = status;
	}
}

/** Messages shown to the user for failures that are not the server's own. */
const MESSAGES = {
	unreachable: 'The Sieve helper is not running or cannot be reached',
	timeout: 'The Sieve helper did not answer in time',
	unauthorized: 'The Sieve helper refused the token (was it restarted with another state directory?)',
	badResponse: 'The Sieve helper sent an answer that is not JSON',
};

/**
 * @typedef {object} HttpLike
 * @property {(method: string, url: string, options?: any) => Promise<any>} request
 */

class SieveClient {
	/**
	 * @param {object} options
	 * @param {HttpLike} options.http - Zotero.HTTP (or a stand-in with the same request())
	 * @param {number} options.port
	 * @param {string} options.token
	 * @param {number} [options.timeout] - milliseconds per request
	 */
	constructor({ http, port, token, timeout = DEFAULT_TIMEOUT_MS }) {
		this.http = http;
		this.base = `http://127.0.0.1:${port}`;
		this.token = token;
		this.timeout = timeout;

		/** @type {any} the last /v1/health answer */
		this.info = null;

		/** Type of the tags the helper's plans add: 1 automatic (default), 0 manual. */
		this.tagType = 1;
	}

	/**
	 * @param {string} method
	 * @param {string} path
	 * @param {any} [body]
	 * @param {{ timeout?: number }} [opts]
	 * @returns {Promise<any>}
	 */
	async call(method, path, body, opts = {}) {
		/** @type {Record<string, string>} */
		const headers = { Authorization: `Bearer ${this.token}` };
		if (body !== undefined) headers['Content-Type'] = 'application/json';
		let xhr;
		try {
			xhr = await this.http.request(method, this.base + path, {
				headers,
				body: body === undefined ? undefined : JSON.stringify(body),
				timeout: opts.timeout || this.timeout,
				errorDelayMax: 0,
				successCodes: false,
				responseType: 'text',
				logBodyLength: 0,
			});
		}
		catch (e) {
			throw toTransportError(e);
		}
		return parseAnswer(xhr);
	}

	health(timeout = 3000) {
		return this.call('GET', '/v1/health', undefined, { timeout });
	}

	/** @param {any[]} items */
	classify(items) {
		return this.call('POST', '/v1/classify', { items, tagType: this.tagType });
	}

	/** @param {any[]} items */
	undo(items) {
		return this.call('POST', '/v1/undo', { items, tagType: this.tagType });
	}

	/** @param {any} feedback */
	feedback(feedback) {
		return this.call('POST', '/v1/feedback', feedback);
	}

	/** @param {any} scope - a POST /v1/jobs scope: its items the personal layer would change */
	personalAffected(scope) {
		return this.call('POST', '/v1/personal/affected', scope);
	}

	/** @param {any} scope - the POST /v1/jobs request */
	startJob(scope) {
		return this.call('POST', '/v1/jobs', { ...scope, tagType: this.tagType });
	}

	listJobs() {
		return this.call('GET', '/v1/jobs');
	}

	/** @param {string} id */
	job(id) {
		return this.call('GET', `/v1/jobs/${encodeURIComponent(id)}`);
	}

	/**
	 * @param {string} id
	 * @param {string} cursor
	 * @param {number} [limit]
	 */
	jobPlan(id, cursor, limit = 500) {
		const q = `cursor=${encodeURIComponent(cursor || '0')}&limit=${limit}`;
		return this.call('GET', `/v1/jobs/${encodeURIComponent(id)}/plan?${q}`);
	}

	/** @param {string} id */
	cancelJob(id) {
		return this.call('DELETE', `/v1/jobs/${encodeURIComponent(id)}`);
	}
}

/** @param {any} e - what Zotero.HTTP.request threw */
function toTransportError(e) {
	const name = (e && (e.name || (e.constructor && e.constructor.name))) || '';
	if (/Timeout/i.test(name) || /timed? ?out/i.test(String(e && e.message))) {
		return new SieveError('timeout', MESSAGES.timeout);
	}
	return new SieveError('unreachable', `${MESSAGES.unreachable} (${(e && e.message) || e})`);
}

/** @param {{ status: number, responseText?: string, response?: any }} xhr */
function parseAnswer(xhr) {
	const text = typeof xhr.responseText === 'string' ? xhr.responseText : String(xhr.response || '');
	if (xhr.status === 0) throw new SieveError('unreachable', MESSAGES.unreachable);
	let json;
	try {
		json = text ? JSON.parse(text) : {};
	}
	catch {
		throw new SieveError('bad_response', `${MESSAGES.badResponse} (HTTP ${xhr.status})`, xhr.status);
	}
	if (xhr.status >= 200 && xhr.status < 300) return json;
	const err = (json && json.error) || {};
	const code = err.code || `http_${xhr.status}`;
	const message = code === 'unauthorized' ? MESSAGES.unauthorized : (err.message || `HTTP ${xhr.status}`);
	throw new SieveError(code, message, xhr.status);
}

module.exports = { SieveClient, SieveError, MESSAGES };
