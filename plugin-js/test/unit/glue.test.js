'use strict';

// bootstrap.js and content/{main,menus,commands}.js loaded as Zotero loads them, in a node:vm
// sandbox with a fake main window: everything added at startup is removed at shutdown.
const test = require('node:test');
const assert = require('node:assert/strict');
const { FakeZotero } = require('../support/fake_zotero.js');
const { ROOT_URI, fakeWindow, addChromeAPI, sandbox, loadBootstrap } = require('../support/fake_chrome.js');

async function start({ zotero8 }) {
	const zotero = new FakeZotero();
	const window = fakeWindow();
	const log = addChromeAPI(zotero, { window, zotero8 });
	const scope = loadBootstrap(sandbox(zotero));
	await scope.startup({ id: 'sieve@sieve.invalid', version: '0.1.0', rootURI: ROOT_URI }, 1);
	return { zotero, window, log, scope };
}

const ids = w => w.document.all().map(e => e.id).filter(id => id.startsWith('sieve-'));

test('Zotero 7: menuitems in the window, observers and the preference pane; all removed on shutdown', async () => {
	const { zotero, window, log, scope } = await start({ zotero8: false });
	assert.deepEqual(ids(window).sort(), ['sieve-itemmenu-classify',
		'sieve-itemmenu-sep',
		'sieve-itemmenu-undo',
		'sieve-tools-retag',
		'sieve-tools-sep',
		'sieve-tools-undo']);
	assert.ok(window.document.querySelector('[href="sieve.ftl"]'));
	assert.equal(zotero.Notifier.observers.size, 2);
	assert.equal(log.panes.length, 1);
	assert.equal(zotero.Prefs.get('extensions.sieve.port'), 23120);
	scope.shutdown({}, 4);
	assert.deepEqual(ids(window), []);
	assert.equal(window.document.querySelector('[href="sieve.ftl"]'), null);
	assert.equal(zotero.Notifier.observers.size, 0);
	assert.equal(log.panes.length, 0);
});

test('Zotero 8: menus through Zotero.MenuManager, unregistered on shutdown', async () => {
	const { zotero, window, log, scope } = await start({ zotero8: true });
	assert.deepEqual(log.menus.map(m => m.target), ['main/library/item', 'main/menubar/tools']);
	assert.deepEqual(ids(window), []);
	scope.shutdown({}, 4);
	assert.deepEqual(log.menus, []);
	assert.equal(zotero.Notifier.observers.size, 0);
});

test('a missing helper gives a clear message in the progress window', async () => {
	const { zotero, window, log, scope } = await start({ zotero8: false });
	zotero.Prefs.set('extensions.sieve.port', 1);
	zotero.Prefs.set('extensions.sieve.stateDir', '/nonexistent/sieve');
	zotero.seed({ itemType: 'journalArticle', key: 'A', title: 't' });
	window.ZoteroPane.getSelectedItems = () => zotero._all();
	window.document.getElementById('sieve-itemmenu-classify').dispatch('command');
	for (let i = 0; i < 500 && !log.progress.some(p => p.closed); i++) await new Promise(r => setTimeout(r, 10));
	const pw = log.progress.find(p => p.closed);
	assert.ok(pw && pw.error);
	assert.match(pw.descriptions.join(' '), /not running on port 1/);
	scope.shutdown({}, 4);
});

test('a helper serving another tag prefix is refused with a clear message', async () => {
	const fs = require('node:fs');
	const os = require('node:os');
	const path = require('node:path');
	const { zotero, window, log, scope } = await start({ zotero8: false });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-glue-'));
	fs.writeFileSync(path.join(dir, 'token'), 'tok\n');
	zotero.Prefs.set('extensions.sieve.stateDir', dir);
	zotero.HTTP.request = async () => ({ status: 200, responseText: '{"tag_prefix":"other/"}' });
	zotero.seed({ itemType: 'journalArticle', key: 'A', title: 't' });
	window.ZoteroPane.getSelectedItems = () => zotero._all();
	window.document.getElementById('sieve-itemmenu-classify').dispatch('command');
	for (let i = 0; i < 500 && !log.progress.some(p => p.closed); i++) await new Promise(r => setTimeout(r, 10));
	const pw = log.progress.find(p => p.closed);
	assert.ok(pw && pw.error);
	assert.match(pw.descriptions.join(' '), /tag prefix .*other\//);
	scope.shutdown({}, 4);
	fs.rmSync(dir, { recursive: true, force: true });
});
