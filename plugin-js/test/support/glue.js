// Starting the whole extension (bootstrap.js and content/) in a fake Zotero of a given version,
// for the tests of the glue: start() returns the fake Zotero, its main window, the log of panes,
// menus and progress windows, the bootstrap scope and its sandbox globals.
'use strict';

const { FakeZotero } = require('./fake_zotero.js');
const { ROOT_URI, fakeWindow, addChromeAPI, sandbox, loadBootstrap } = require('./fake_chrome.js');

const PLUGIN_ID = 'sieve@sieve.invalid';

/**
 * @param {{ version?: string, locale?: string, selected?: any[], timeScale?: number, Subprocess?: any,
 *   prompt?: () => boolean, zotero?: any, prefs?: Record<string, any> }} [opts]
 */
async function start(opts = {}) {
	const zotero = opts.zotero || new FakeZotero({ version: opts.version || '7.0.30' });
	const window = fakeWindow(opts.selected || []);
	const log = addChromeAPI(zotero, { window, locale: opts.locale });
	for (const [k, v] of Object.entries(opts.prefs || {})) zotero.Prefs.set(`extensions.sieve.${k}`, v);
	const globals = sandbox(zotero, { prompt: opts.prompt, timeScale: opts.timeScale, Subprocess: opts.Subprocess });
	const scope = loadBootstrap(globals);
	await scope.startup({ id: PLUGIN_ID, version: '0.1.0', rootURI: ROOT_URI }, 1);
	return { zotero, window, log, scope, globals };
}

/** Resolves once `cond()` is true (polling), or rejects after `ms`. */
async function waitFor(cond, ms = 10000, what = 'the condition') {
	const end = Date.now() + ms;
	while (!(await cond())) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise(r => setTimeout(r, 10));
	}
}

/**
 * A stand-in helper for the glue tests (the e2e tests use the real one): a token in a temporary
 * state directory and a Zotero.HTTP.request that answers /v1/health itself and every other
 * request with `answer(method, path, body)` (an object, or a promise of one). `requests` lists
 * what the extension sent.
 * @param {any} zotero
 * @param {(method: string, path: string, body: any) => any} [answer]
 */
function stubHelper(zotero, answer = () => ({})) {
	const fs = require('node:fs');
	const os = require('node:os');
	const path = require('node:path');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-stub-'));
	fs.writeFileSync(path.join(dir, 'token'), 'tok\n');
	zotero.Prefs.set('extensions.sieve.stateDir', dir);
	const requests = [];
	zotero.HTTP.request = async (method, url, options = {}) => {
		const route = url.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
		const body = options.body ? JSON.parse(options.body) : undefined;
		if (route === '/v1/health') return { status: 200, responseText: '{"version":"0.1.0","tag_prefix":"sieve/"}' };
		requests.push({ method, route, body });
		const json = await answer(method, route, body);
		return { status: 200, responseText: JSON.stringify(json) };
	};
	return { requests, dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The progress windows that finished (loaded, and their close timer started), in order. */
const finished = log => log.progress.filter(p => p.closed && p.loaded);

module.exports = { start, waitFor, finished, stubHelper, PLUGIN_ID };
