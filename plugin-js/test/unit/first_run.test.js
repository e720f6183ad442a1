'use strict';

// The smaller faults of issue 14, each through the whole extension in the fake Zotero: the first
// run without a helper, the Cancel button of a retag, what survives a shutdown, the settings pane.
const test = require('node:test');
const assert = require('node:assert/strict');
const { start, waitFor, finished, stubHelper } = require('../support/glue.js');
const { fakeSubprocess } = require('../support/fake_subprocess.js');

const sleep = ms => new Promise(r => setTimeout(r, ms));

test('auto-tag without a helper: the user is told once, not at every import', async () => {
	const { zotero, window, log, scope } = await start({
		version: '8.0.5', timeScale: 100, Subprocess: fakeSubprocess({ PATH: '' }).Subprocess,
		prefs: { port: 1, stateDir: '/nonexistent/sieve' },
	});
	for (const key of ['A', 'B', 'C']) {
		zotero.seed({ itemType: 'journalArticle', key, title: `paper ${key}` }, { notify: true });
		await sleep(150);
	}
	await waitFor(() => finished(log).length, 3000, 'the message');
	await sleep(200);
	assert.equal(log.progress.length, 1, 'one window for three imports');
	assert.match(finished(log)[0].descriptions.join(' '), /could not find its helper program “sieve”.*shown only once/);
	window.ZoteroPane.getSelectedItems = () => zotero._all();
	await log.menus.click(log.menus.show('main/library/item')[1]);
	await waitFor(() => finished(log).length === 2, 3000, 'the menu command\'s own message');
	scope.shutdown({}, 4);
});

test('the Cancel button is in the progress window before Zotero sizes it, and cancels the job', async () => {
	const { zotero, log, scope } = await start({ version: '7.0.30' });
	let cancelled = false;
	const stub = stubHelper(zotero, async (method, route) => {
		if (method === 'DELETE') cancelled = true;
		const status = { id: '7', state: cancelled ? 'cancelled' : 'running', total: 5, done: 0, rate: 0, eta_seconds: null,
			counts: {}, topics: {}, changes: 0, user_edited: 0, read_only: 0, errors: 0, error: null };
		if (route.includes('/plan')) {
			await sleep(20);
			return { entries: [], next_cursor: '0', complete: cancelled };
		}
		return status;
	});
	const window = zotero.getMainWindow();
	window.document.getElementById('sieve-tools-retag').dispatch('command');
	await waitFor(() => log.progress[0]?.button(), 3000, 'the Cancel button');
	const pw = log.progress[0];
	assert.ok(pw.sizedWith.includes(pw.button()), 'the window was sized with the button in it');
	assert.match(pw.descriptions.join(' '), /To stop: Cancel/);
	pw.button().dispatch('command');
	await waitFor(() => finished(log).length, 5000, 'the summary');
	assert.ok(stub.requests.some(r => r.method === 'DELETE'));
	assert.match(pw.descriptions.join('\n'), /^cancelled: 0 of 5 items/m);
	assert.equal(pw.button(), null, 'the button is gone at the end');
	scope.shutdown({}, 4);
	stub.remove();
});

test('shutdown: feedback waiting to be sent is dropped, its timers cleared; nothing starts the helper after', async () => {
	const { zotero, scope, globals } = await start({ version: '8.0.5' });
	const stub = stubHelper(zotero);
	const item = zotero.seed({ itemType: 'journalArticle', key: 'A', title: 'A paper' });
	item.addTag('sieve/irrelevant', 0);
	await item.saveTx();
	assert.ok(globals.pendingTimers() > 0, 'the feedback waits');
	scope.shutdown({}, 4);
	assert.equal(globals.pendingTimers(), 0);
	await sleep(1700);
	assert.deepEqual(stub.requests, []);
	stub.remove();
});

test('Zotero 7: the Tools menu\'s popupshowing listener goes with the menuitems', async () => {
	const { window, scope } = await start({ version: '7.0.30' });
	const tools = window.document.getElementById('menu_ToolsPopup');
	assert.equal(tools.listeners.popupshowing.length, 1);
	tools.dispatch('popupshowing');
	assert.equal(window.document.getElementById('sieve-tools-retag').getAttribute('data-l10n-id'), 'sieve-menu-retag');
	scope.shutdown({}, 4);
	assert.deepEqual(tools.listeners.popupshowing, []);
});

test('the settings pane shows its heading once (Zotero adds the label as the heading)', async () => {
	const { zotero, log, scope } = await start({ version: '10.0' });
	const pane = zotero.PreferencePanes.open(log.panes[0].id);
	assert.deepEqual(pane.headings, ['Sieve', 'LLM judge (optional)']);
	scope.shutdown({}, 4);
});
