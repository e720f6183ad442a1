'use strict';

// bootstrap.js and content/{main,menus,commands}.js loaded as Zotero loads them, in a node:vm
// sandbox with a fake main window of a given Zotero version: everything added at startup is
// removed at shutdown (elements, listeners, observers, panes, menus, Fluent sources, timers).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { start, waitFor, finished } = require('../support/glue.js');

const ids = w => w.document.all().map(e => e.id).filter(id => id.startsWith('sieve-'));

test('Zotero 7: menuitems in the window, observers and the preference pane; all removed on shutdown', async () => {
	const { zotero, window, log, scope, globals } = await start({ version: '7.0.30' });
	assert.deepEqual(ids(window).sort(), ['sieve-itemmenu-classify',
		'sieve-itemmenu-sep',
		'sieve-itemmenu-undo',
		'sieve-tools-retag',
		'sieve-tools-sep',
		'sieve-tools-undo']);
	assert.ok(window.document.querySelector('[href="sieve.ftl"]'));
	assert.equal(window.label('sieve-menu-classify'), 'Classify with Sieve');
	assert.equal(zotero.Notifier.observers.size, 2);
	assert.equal(log.panes.length, 1);
	assert.equal(zotero.Prefs.get('extensions.sieve.port'), 23120);
	assert.ok(zotero.l10n.registry.getSourceNames().some(n => n.includes('fallback')), 'Fluent sources added on 7');
	scope.shutdown({}, 4);
	assert.deepEqual(ids(window), []);
	assert.equal(window.document.querySelector('[href="sieve.ftl"]'), null);
	assert.equal(zotero.Notifier.observers.size, 0);
	assert.equal(log.panes.length, 0);
	assert.deepEqual(zotero.l10n.registry.getSourceNames().sort(), ['sieve@sieve.invalid', 'zotero']);
	assert.equal(globals.pendingTimers(), 0);
	assert.deepEqual(zotero.errors, []);
});

for (const version of ['8.0.5', '9.0.6', '10.0']) {
	test(`Zotero ${version}: menus through Zotero.MenuManager, unregistered on shutdown`, async () => {
		const { zotero, window, log, scope, globals } = await start({ version });
		assert.deepEqual([...log.menus.registered.values()].map(m => m.target), ['main/library/item', 'main/menubar/tools']);
		assert.deepEqual(ids(window), []);
		const shown = log.menus.show('main/menubar/tools');
		assert.deepEqual(shown.map(r => r.label || r.type), ['separator',
			'Retag library with Sieve…',
			'Remove Sieve tags and notes from library…']);
		scope.shutdown({}, 4);
		assert.equal(log.menus.registered.size, 0);
		assert.equal(zotero.Notifier.observers.size, 0);
		assert.equal(globals.pendingTimers(), 0);
		assert.deepEqual(log.menus.problems, []);
		assert.deepEqual(zotero.errors, []);
	});
}

test('no helper on PATH: the user is told, in plain words, what to install', async () => {
	const { fakeSubprocess } = require('../support/fake_subprocess.js');
	const { zotero, window, log, scope } = await start({
		version: '7.0.30', Subprocess: fakeSubprocess({ PATH: '' }).Subprocess,
		prefs: { port: 1, stateDir: '/nonexistent/sieve' },
	});
	zotero.seed({ itemType: 'journalArticle', key: 'A', title: 't' });
	window.ZoteroPane.getSelectedItems = () => zotero._all();
	window.document.getElementById('sieve-itemmenu-classify').dispatch('command');
	await waitFor(() => finished(log).length, 5000, 'the progress window');
	const pw = finished(log)[0];
	assert.ok(pw.error);
	assert.match(pw.descriptions.join(' '), /could not find its helper program “sieve”.*Install the Sieve package/);
	scope.shutdown({}, 4);
});

test('a helper serving another tag prefix is refused with a clear message', async () => {
	const { zotero, window, log, scope } = await start({ version: '7.0.30' });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-glue-'));
	fs.writeFileSync(path.join(dir, 'token'), 'tok\n');
	zotero.Prefs.set('extensions.sieve.stateDir', dir);
	zotero.HTTP.request = async () => ({ status: 200, responseText: '{"tag_prefix":"other/"}' });
	zotero.seed({ itemType: 'journalArticle', key: 'A', title: 't' });
	window.ZoteroPane.getSelectedItems = () => zotero._all();
	window.document.getElementById('sieve-itemmenu-classify').dispatch('command');
	await waitFor(() => finished(log).length, 5000, 'the progress window');
	const pw = finished(log)[0];
	assert.ok(pw.error);
	assert.match(pw.descriptions.join(' '), /tag prefix .*other\//);
	scope.shutdown({}, 4);
	fs.rmSync(dir, { recursive: true, force: true });
});
