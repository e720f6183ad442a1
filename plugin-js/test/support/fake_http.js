// Zotero.Prefs (a map) and Zotero.HTTP.request over Node's fetch, for the fake Zotero: request()
// resolves with { status, responseText } or throws as Zotero does (UnexpectedStatusException for
// a status outside successCodes; successCodes false accepts every status).
'use strict';

class FakePrefs {
	constructor() {
		this.values = new Map();
	}

	get(name) {
		return this.values.get(name);
	}

	set(name, value) {
		this.values.set(name, value);
		return true;
	}
}

/** Zotero.HTTP.request over Node's fetch: resolves with {status, responseText}, or throws. */
async function fakeRequest(method, url, options = {}) {
	const signal = options.timeout ? AbortSignal.timeout(options.timeout) : undefined;
	let res;
	try {
		res = await fetch(url, { method, headers: options.headers, body: options.body, signal });
	}
	catch (e) {
		const err = new Error(`HTTP ${method} ${url} failed: ${e.cause?.code || e.message}`);
		err.name = e.name === 'TimeoutError' ? 'TimeoutException' : 'ConnectionError';
		throw err;
	}
	const text = await res.text();
	const ok = options.successCodes === false || (options.successCodes
		? options.successCodes.includes(res.status)
		: res.status >= 200 && res.status < 300);
	const xhr = { status: res.status, responseText: text, response: text };
	if (!ok) {
		const err = new Error(`HTTP ${method} ${url} failed with status code ${res.status}`);
		Object.assign(err, { name: 'UnexpectedStatusException', status: res.status, xmlhttp: xhr });
		throw err;
	}
	return /** @type {any} */ (xhr);
}

module.exports = { FakePrefs, fakeRequest };
