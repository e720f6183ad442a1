'use strict';

// The bugs that reached users on real Zotero 7 to 10 (issue 14), each against the fake acting as
// the version where it shows, through the whole extension (bootstrap.js and content/).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { start, waitFor, finished, stubHelper } = require('../support/glue.js');
const { ROOT } = require('../support/fake_chrome.js');

const sleep = ms => new Promise(r => setTimeout(r, ms));
const NOTE = '<div data-sieve-note="1"><p>why</p></div>';

/** The helper's answer to /v1/classify: every item relevant, with a note. */
function classified(body) {
	return { results: body.items.map((it, index) => ({ index, libraryID: it.libraryID, key: it.key, cached: false,
		judgment: { verdict: 'relevant', topics: ['X'] },
		plan: { add_tags: [{ tag: 'sieve/relevant', type: 1 }], remove_tags: [], note: { action: 'create', html: NOTE } } })) };
}

const answers = (method, route, body) => (route === '/v1/classify' ? classified(body) : {});
const routes = stub => stub.requests.map(r => `${r.method} ${r.route}`);

test('bug 1, Zotero 8: the item context menu offers Classify and Remove, and Classify classifies the selection', async () => {
	const { zotero, log, scope } = await start({ version: '8.0.5' });
	const stub = stubHelper(zotero, answers);
	const item = zotero.seed({ itemType: 'journalArticle', key: 'A', title: 'A paper' });
	const shown = log.menus.show('main/library/item', { items: [item] });
	assert.deepEqual(shown.map(r => r.label || r.type), ['separator', 'Classify with Sieve', 'Remove Sieve tags and notes']);
	await log.menus.click(shown[1]);
	assert.deepEqual(stub.requests.find(r => r.route === '/v1/classify').body.items.map(i => i.key), ['A']);
	assert.deepEqual(item.getTags(), [{ tag: 'sieve/relevant', type: 1 }]);
	assert.deepEqual(log.menus.problems, []);
	scope.shutdown({}, 4);
	stub.remove();
});

test('bug 2, Zotero 8: an item that arrives by sync is not auto-tagged; an imported one is', async () => {
	const { zotero, scope } = await start({ version: '8.0.5', timeScale: 100 });
	const stub = stubHelper(zotero, answers);
	const synced = await zotero.syncIn({ itemType: 'journalArticle', key: 'S', title: 'Synced', abstract: 'from elsewhere' });
	assert.equal(zotero.Notifier.delivered.at(-1).extraData.skipAutoSync, true, 'the notifier\'s event-level option');
	await sleep(200);
	assert.deepEqual(routes(stub), []);
	const imported = zotero.seed({ itemType: 'journalArticle', key: 'I', title: 'Imported' }, { notify: true });
	await waitFor(() => imported.getTags().length, 3000, 'the imported item to be tagged');
	assert.deepEqual(stub.requests.flatMap(r => r.body.items.map(i => i.key)), ['I']);
	assert.deepEqual(synced.getTags(), []);
	scope.shutdown({}, 4);
	stub.remove();
});

test('bug 2, Zotero 8: Sieve tags that arrive by sync are not sent as corrections; the user\'s are', async () => {
	const { zotero, scope } = await start({ version: '8.0.5', timeScale: 100 });
	const stub = stubHelper(zotero, answers);
	const item = zotero.seed({ itemType: 'journalArticle', key: 'A', title: 'A paper' });
	await zotero.syncIn({ itemType: 'journalArticle', key: 'A', tags: [{ tag: 'sieve/irrelevant', type: 1 }] });
	await sleep(100);
	assert.deepEqual(routes(stub), []);
	item.removeTag('sieve/irrelevant');
	item.addTag('sieve/relevant', 0);
	await item.saveTx();
	await waitFor(() => stub.requests.length, 3000, 'the feedback');
	assert.deepEqual(stub.requests.map(r => [r.route, r.body.verdict]), [['/v1/feedback', 'relevant']]);
	scope.shutdown({}, 4);
	stub.remove();
});

for (const [version, locale] of [['7.0.30', 'fr-FR'], ['8.0.5', 'de'], ['9.0.1', 'zh-CN'], ['9.0.6', 'fr-FR'], ['10.0', 'de']]) {
	test(`bug 3, Zotero ${version} in ${locale}: the main window and the settings keep Zotero's strings in ${locale}`, async () => {
		const { zotero, window, log, scope } = await start({ version, locale });
		assert.equal(window.windowLocale(), locale);
		const pane = zotero.PreferencePanes.open(log.panes[0].id);
		assert.equal(pane.locale, locale);
		const german = locale === 'de';
		assert.equal(window.label('sieve-menu-classify'), german ? 'Mit Sieve einordnen' : 'Classify with Sieve');
		assert.ok(pane.labels.every(Boolean), 'every label of the pane has a text');
		if (zotero.major >= 8) {
			assert.equal(log.menus.show('main/library/item')[1].label, german ? 'Mit Sieve einordnen' : 'Classify with Sieve');
		}
		scope.shutdown({}, 4);
		assert.deepEqual(zotero.l10n.missing, []);
	});
}

/** Mozilla's version comparison, enough for "10.*"-style bounds: -1, 0, 1. */
function compareVersions(a, b) {
	const pa = a.split('.');
	const pb = b.split('.');
	for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
		if (pa[i] === '*' || pb[i] === '*') return pa[i] === pb[i] ? 0 : (pa[i] === '*' ? 1 : -1);
		const x = parseInt(pa[i] || '0');
		const y = parseInt(pb[i] || '0');
		if (x !== y) return x < y ? -1 : 1;
	}
	return 0;
}

test('bug 4: the manifest admits Zotero 7.0 to 10.x and names a real update URL', () => {
	const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
	const z = manifest.applications.zotero;
	for (const v of ['7.0', '7.0.30', '8.0.5', '9.0.6', '10.0', '10.0.3']) {
		assert.ok(compareVersions(v, z.strict_min_version) >= 0 && compareVersions(v, z.strict_max_version) <= 0, `Zotero ${v}`);
	}
	assert.equal(compareVersions('11.0', z.strict_max_version), 1, 'not beyond the versions read');
	const url = new URL(z.update_url);
	assert.equal(url.protocol, 'https:');
	assert.doesNotMatch(url.hostname, /\.(invalid|example|test|localhost)$/);
	assert.match(url.pathname, /\/update\.json$/);
});

/** A job stand-in: the plan page waits for `release()` (the job is then done), DELETE cancels. */
function jobAnswers() {
	let release;
	const gate = new Promise((r) => {
		release = r;
	});
	let state = 'running';
	const status = () => ({ id: '7', state, total: 1, done: state === 'running' ? 0 : 1, rate: 1, eta_seconds: null,
		counts: {}, topics: {}, changes: 0, user_edited: 0, read_only: 0, errors: 0, error: null });
	const answer = async (method, route, body) => {
		if (method === 'POST' && route === '/v1/jobs') return { ...status(), scope: body };
		if (method === 'DELETE') {
			state = 'cancelled';
			return status();
		}
		if (route.includes('/plan')) {
			await gate;
			return { entries: [], next_cursor: '0', complete: state !== 'running' };
		}
		if (route === '/v1/undo') return { results: body.items.map((it, index) => ({ index, libraryID: it.libraryID, key: it.key,
			plan: { add_tags: [], remove_tags: [], note: { action: 'keep' } } })) };
		return status();
	};
	return { answer, release: () => {
		if (state === 'running') state = 'done';
		release();
	} };
}

test('bug 5, Zotero 10: retag and undo of the selected library work; a failure after the confirmation is shown', async () => {
	const { zotero, window, log, scope } = await start({ version: '10.0' });
	const job = jobAnswers();
	const stub = stubHelper(zotero, job.answer);
	zotero.seed({ itemType: 'journalArticle', key: 'A', title: 'A paper' });
	const tools = log.menus.show('main/menubar/tools');
	const retag = log.menus.click(tools[1]);
	await waitFor(() => stub.requests.some(r => r.route === '/v1/jobs'), 3000, 'the job');
	assert.equal(stub.requests.find(r => r.route === '/v1/jobs').body.libraryID, 1);
	job.release();
	await retag;
	await waitFor(() => finished(log).length === 1, 3000, 'the summary');
	assert.match(finished(log)[0].descriptions.join('\n'), /^done: 1 of 1 items/m);
	await log.menus.click(tools[2]);
	await waitFor(() => finished(log).length === 2, 3000, 'the undo summary');
	assert.deepEqual(stub.requests.find(r => r.route === '/v1/undo').body.items.map(i => i.key), ['A']);
	window.ZoteroPane.getSelectedLibraryIDs = () => {
		throw new Error('no collection tree');
	};
	await log.menus.click(tools[2]);
	await waitFor(() => finished(log).length === 3, 3000, 'the error');
	const last = finished(log).at(-1);
	assert.ok(last.error);
	assert.match(last.descriptions.join(' '), /no collection tree/);
	scope.shutdown({}, 4);
	stub.remove();
});
