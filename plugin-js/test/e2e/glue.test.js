// End to end through the whole extension, as a user meets it: the fake Zotero acts as 7, 8 and
// 10, seeded from a copy of a real Zotero library; no helper is set in the preferences, so the
// extension finds the real `sieve` on PATH and starts it (`sieve serve` over real HTTP, every
// exchange checked against schema/api). Each run: a bulk retag cancelled (nothing applied) and
// one run to the end (a second changes nothing), the library-wide undo (the original tags and
// notes back), right-click Classify, auto-tagging of an imported item while an item that arrives
// by sync is left alone, right-click Remove, and shutdown stopping the helper.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { environment, copyLibrary, readLibrary, seedFake } = require('../support/server.js');
const { FakeZotero } = require('../support/fake_zotero.js');
const { fakeSubprocess } = require('../support/fake_subprocess.js');
const { validating } = require('../support/schemas.js');
const { start, waitFor, finished } = require('../support/glue.js');

const env = environment();
const sleep = ms => new Promise(r => setTimeout(r, ms));
const VERDICT = /^sieve\/(relevant|application|irrelevant)$/;

/** A loopback port nobody listens on. */
function freePort() {
	return new Promise((resolve) => {
		const srv = net.createServer().listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

async function world(version) {
	const tmp = copyLibrary(env.source);
	const rows = readLibrary(env.bin, tmp.db, tmp.dir);
	const zotero = new FakeZotero({ version, dataDir: tmp.dir });
	seedFake(zotero, rows);
	zotero.HTTP = validating(zotero.HTTP);
	const processes = fakeSubprocess({ PATH: `/nonexistent:${path.dirname(env.bin)}` });
	const regular = () => zotero._all().filter(i => i.isRegularItem());
	const original = zotero.state();
	const run = await start({ zotero, selected: regular(), timeScale: 20, Subprocess: processes.Subprocess,
		prefs: { port: await freePort() } });
	return { ...run, tmp, processes, regular, original };
}

/** Right-click on items, then one of the two Sieve entries (0: Classify, 1: Remove). */
function rightClick(w, items, entry) {
	if (w.log.menus) {
		const shown = w.log.menus.show('main/library/item', { items }).filter(r => r.type === 'menuitem');
		return w.log.menus.click(shown[entry]);
	}
	w.window.ZoteroPane.getSelectedItems = () => items;
	w.window.document.getElementById(entry ? 'sieve-itemmenu-undo' : 'sieve-itemmenu-classify').dispatch('command');
	return null;
}

/** Tools menu: 0 retag (or cancel), 1 remove from the library. */
function tools(w, entry) {
	if (w.log.menus) return w.log.menus.click(w.log.menus.show('main/menubar/tools').filter(r => r.type === 'menuitem')[entry]);
	w.window.document.getElementById(entry ? 'sieve-tools-undo' : 'sieve-tools-retag').dispatch('command');
	return null;
}

/** Waits for the n-th progress window to finish and returns its text; it must not be an error. */
async function outcome(w, n) {
	await waitFor(() => finished(w.log).length >= n, 30000, `progress window ${n}`);
	const pw = finished(w.log)[n - 1];
	const text = pw.descriptions.join('\n');
	assert.ok(!pw.error, text);
	return text;
}

const sieveTags = item => item.getTags().filter(t => t.tag.startsWith('sieve/'));
const sieveNotes = (zotero, item) => zotero.Items.get(item.getNotes()).filter(n => n.getNote().includes('data-sieve-note'));

function assertConsistent(w) {
	for (const item of w.regular()) {
		const verdicts = sieveTags(item).filter(t => VERDICT.test(t.tag));
		assert.ok(verdicts.length <= 1, `one verdict at most on ${item.key}`);
		assert.equal(sieveNotes(w.zotero, item).length, verdicts.length, `tags and note together on ${item.key}`);
	}
}

/**
 * Holds POST /v1/jobs back (`reached` once it is sent) until release() (then the real helper
 * serves it): a Cancel clicked in between comes while the job starts.
 */
function holdJobStart(w) {
	const request = w.zotero.HTTP.request;
	let release;
	let reached;
	const gate = new Promise((r) => {
		release = r;
	});
	const sent = new Promise((r) => {
		reached = r;
	});
	w.zotero.HTTP.request = async (method, url, options) => {
		if (method === 'POST' && url.endsWith('/v1/jobs')) {
			reached();
			await gate;
		}
		return request(method, url, options);
	};
	return { reached: sent, release: () => {
		w.zotero.HTTP.request = request;
		release();
	} };
}

async function retag(w) {
	const before = w.zotero.state();
	const hold = holdJobStart(w);
	const run = tools(w, 0);
	await hold.reached;
	await waitFor(() => w.log.progress[0]?.button(), 10000, 'the Cancel button');
	w.log.progress[0].button().dispatch('command');
	hold.release();
	await run;
	assert.match(await outcome(w, 1), /^cancelled: .* 0 items changed/m);
	assert.deepEqual(w.zotero.state(), before, 'nothing applied after Cancel');
	tools(w, 0);
	assert.match(await outcome(w, 2), /^done: 17 of 17 items\. .* 17 items changed, 0 edited notes left alone, 0 errors\./m);
	assertConsistent(w);
	for (const item of w.regular()) assert.equal(sieveNotes(w.zotero, item).length, 1, item.key);
	const done = w.zotero.state();
	tools(w, 0);
	assert.match(await outcome(w, 3), / 0 items changed/);
	assert.deepEqual(w.zotero.state(), done, 'a second retag changes nothing');
	tools(w, 1);
	assert.match(await outcome(w, 4), /^17 items restored: /m);
	assert.deepEqual(w.zotero.state(), w.original, 'the library-wide undo brings the original tags and notes back');
}

async function classifyAutotagUndo(w) {
	await rightClick(w, w.regular(), 0);
	assert.match(await outcome(w, 5), /^17 items judged: .* 17 changed\./m);
	for (const item of w.regular()) {
		assert.deepEqual(sieveTags(item).filter(t => VERDICT.test(t.tag)).map(t => t.type), [1], item.key);
		assert.equal(sieveNotes(w.zotero, item).length, 1, item.key);
	}
	const src = w.regular().find(i => i.getField('abstractNote'));
	const imported = w.zotero.seed({ itemType: 'journalArticle' }, { notify: true });
	const synced = await w.zotero.syncIn({ itemType: 'journalArticle', title: src.getField('title'),
		abstract: src.getField('abstractNote') });
	imported.setField('title', src.getField('title')); // the translator fills fields in later
	imported.setField('abstractNote', src.getField('abstractNote'));
	await imported.saveTx();
	await waitFor(() => sieveTags(imported).length, 20000, 'the imported item to be tagged');
	await sleep(300);
	assert.deepEqual(sieveTags(synced), [], 'the synced item is left alone');
	assert.equal(sieveNotes(w.zotero, imported).length, 1);
	await rightClick(w, w.regular(), 1);
	assert.match(await outcome(w, 6), /^18 items restored: /m);
	const now = w.zotero.state();
	for (const key of Object.keys(w.original)) assert.deepEqual(now[key], w.original[key], key);
	assert.deepEqual(sieveTags(imported), []);
	assert.equal(sieveNotes(w.zotero, imported).length, 0);
}

for (const version of ['7.0.30', '8.0.5', '10.0']) {
	test(`Zotero ${version}: first run with the helper on PATH, classify, auto-tag, retag with cancel, undo`, { skip: env.skip, timeout: 90000 }, async () => {
		const w = await world(version);
		try {
			await retag(w);
			await classifyAutotagUndo(w);
			assert.equal(w.processes.started.length, 1, 'the helper was started once');
			assert.deepEqual(w.zotero.HTTP.problems, []);
			assert.ok(w.zotero.HTTP.checked > 10, `only ${w.zotero.HTTP.checked} exchanges checked`);
			assert.deepEqual(w.zotero.errors, []);
			assert.deepEqual(w.zotero.l10n.missing, []);
		}
		finally {
			w.scope.shutdown({}, 4);
			const proc = w.processes.started[0];
			if (proc) {
				await waitFor(() => proc.exitCode !== null || proc.signalCode !== null, 10000, 'the helper to stop');
			}
			fs.rmSync(w.tmp.dir, { recursive: true, force: true });
		}
	});
}
