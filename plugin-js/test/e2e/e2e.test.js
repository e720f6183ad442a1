// End to end: the real `sieve serve` on a copy of a real Zotero 7 library, the extension's client
// and apply code, and a fake Zotero seeded with that library's items, tags and notes (the whole
// extension, menus included, in glue.test.js).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { environment, copyLibrary, readLibrary, startServer, seedFake } = require('../support/server.js');
const { FakeZotero } = require('../support/fake_zotero.js');
const { SieveClient } = require('../../content/lib/client.js');
const { classifyItems } = require('../../content/lib/classify.js');
const { undoItems } = require('../../content/lib/undo.js');
const { InFlight } = require('../../content/lib/inflight.js');
const { AutoTagger } = require('../../content/lib/autotag.js');
const { TagFeedback } = require('../../content/lib/feedback.js');
const { BulkRunner } = require('../../content/lib/bulk.js');
const { applyPlans } = require('../../content/lib/apply.js');
const { toInlineItem } = require('../../content/lib/items.js');
const { validating } = require('../support/schemas.js');

const PREFIX = 'sieve/';
const env = environment();
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** @type {{ port: number, token: string, stop: () => Promise<void> }} */
let server;
let rows;
let tmp;

test.before(async () => {
	if (env.skip) return;
	tmp = copyLibrary(env.source);
	rows = readLibrary(env.bin, tmp.db, tmp.dir);
	server = await startServer(env.bin, tmp.db, tmp.dir);
});

test.after(async () => {
	if (server) await server.stop();
	if (tmp) fs.rmSync(tmp.dir, { recursive: true, force: true });
});

/** Every transport the tests used: each checks requests and responses against schema/api. */
const transports = [];

function world() {
	const zotero = new FakeZotero();
	seedFake(zotero, rows);
	zotero.HTTP = validating(zotero.HTTP);
	transports.push(zotero.HTTP);
	const inFlight = new InFlight({ graceMs: 0 });
	const client = new SieveClient({ http: zotero.HTTP, port: server.port, token: server.token, timeout: 10000 });
	const apply = { prefix: PREFIX, tagType: 1, writeNotes: true, inFlight };
	const regular = () => zotero._all().filter(i => i.isRegularItem());
	return { zotero, client, apply, inFlight, regular, ctx: { Zotero: zotero, client, apply } };
}

const sieveTags = item => item.getTags().filter(t => t.tag.startsWith(PREFIX));
const sieveNotes = (zotero, item) => item.getNotes().map(id => zotero.Items.get(id))
	.filter(n => n.getNote().includes('data-sieve-note'));

test('classify applies the plans, and a re-run changes nothing', { skip: env.skip }, async () => {
	const w = world();
	const before = w.zotero.state();
	const inline = [];
	for (const item of w.regular()) inline.push(await toInlineItem(w.zotero, item));
	const planned = (await w.client.classify(inline)).results;
	const report = await classifyItems(w.regular(), w.ctx);
	for (const r of planned) {
		const item = w.zotero.Items._byKey(r.libraryID, r.key);
		for (const t of r.plan.add_tags) assert.ok(item.tags.some(x => x.tag === t.tag && x.type === 1), `${t.tag} on ${r.key}`);
		assert.equal(r.plan.note.action, 'create');
		assert.equal(sieveNotes(w.zotero, item)[0].getNote(), r.plan.note.html);
	}
	assert.equal(report.judged, w.regular().length);
	assert.ok(report.apply.changed > 0);
	for (const item of w.regular()) {
		const verdicts = sieveTags(item).filter(t => /^sieve\/(relevant|application|irrelevant)$/.test(t.tag));
		assert.equal(verdicts.length, 1, `one verdict tag on ${item.key}`);
		assert.equal(verdicts[0].type, 1);
		assert.equal(sieveNotes(w.zotero, item).length, 1, `one Sieve note on ${item.key}`);
	}
	assert.ok(w.zotero.stats.maxSavesPerTx <= 200, 'chunks of at most 100 items');
	const after = w.zotero.state();
	assert.notDeepEqual(after, before);
	const again = await classifyItems(w.regular(), w.ctx);
	assert.equal(again.apply.changed, 0);
	assert.deepEqual(w.zotero.state(), after);
});

test('a user-edited note is not replaced; a manual tag keeps its type', { skip: env.skip }, async () => {
	const w = world();
	await classifyItems(w.regular(), w.ctx);
	const [first, second] = w.regular().filter(i => i.getField('abstractNote'));
	const note = sieveNotes(w.zotero, first)[0];
	const edited = note.getNote().replace('</div>', '<p>my own remark</p></div>');
	note.setNote(edited);
	await note.saveTx();
	const verdict = sieveTags(second).find(t => !t.tag.includes('/topic/'));
	second.removeTag(verdict.tag);
	second.addTag(verdict.tag, 0);
	await second.saveTx();
	const report = await classifyItems([first, second], w.ctx);
	assert.equal(note.getNote(), edited);
	assert.equal(sieveNotes(w.zotero, first).length, 1);
	assert.ok(report.apply.userEdited >= 1);
	assert.equal(second.getTags().find(t => t.tag === verdict.tag).type, undefined, 'still manual');
	assert.equal(report.apply.changed, 0);
});

test('undo restores the original tags and notes exactly', { skip: env.skip }, async () => {
	const w = world();
	const original = w.zotero.state();
	await classifyItems(w.regular(), w.ctx);
	const summary = await undoItems(w.regular(), w.ctx);
	assert.ok(summary.notesDeleted > 0);
	assert.deepEqual(w.zotero.state(), original);
});

test('auto-tag: an imported item is tagged once its metadata settles; a synced one is not', { skip: env.skip }, async () => {
	const w = world();
	const processed = [];
	const tagger = new AutoTagger({
		Zotero: w.zotero, isEnabled: () => true, delayMs: 40,
		process: async (items) => {
			processed.push(...items.map(i => i.key));
			await classifyItems(items, w.ctx);
		},
	});
	w.zotero.Notifier.registerObserver(tagger, ['item'], 'sieve-autotag');
	const src = rows.find(r => r.abstract);
	const imported = w.zotero.seed({ itemType: 'journalArticle' }, { notify: true });
	const synced = w.zotero.seed({ itemType: 'journalArticle', title: src.title, abstract: src.abstract },
		{ notify: true, skipAutoSync: true });
	await sleep(10);
	imported.setField('title', src.title); // the translator fills fields after the item exists
	await sleep(15);
	imported.setField('abstractNote', src.abstract);
	await sleep(10);
	assert.equal(sieveTags(imported).length, 0, 'not tagged while the metadata changes');
	for (let i = 0; i < 250 && !processed.length; i++) await sleep(20);
	await tagger.idle;
	tagger.stop();
	assert.deepEqual(processed, [imported.key]);
	assert.ok(sieveTags(imported).length >= 1);
	assert.equal(sieveTags(synced).length, 0);
});

test('feedback: hand-made prefixed tag changes are sent, the extension\'s own are not', { skip: env.skip }, async () => {
	const w = world();
	const sent = [];
	const client = Object.create(w.client);
	client.feedback = async (body) => {
		sent.push(body);
		return w.client.feedback(body);
	};
	const fb = new TagFeedback({ Zotero: w.zotero, client: () => client, prefix: () => PREFIX,
		inFlight: new InFlight({ graceMs: 50 }), delayMs: 10 });
	w.apply.inFlight = fb.ctx.inFlight;
	w.zotero.Notifier.registerObserver(fb, ['item-tag'], 'sieve-feedback');
	await classifyItems(w.regular(), w.ctx);
	await sleep(100);
	await fb.flush();
	assert.equal(sent.length, 0);
	const item = w.regular().find(i => i.getField('abstractNote'));
	for (const t of sieveTags(item).filter(x => !x.tag.includes('/topic/'))) item.removeTag(t.tag);
	item.addTag('sieve/irrelevant', 0);
	await item.saveTx();
	for (let i = 0; i < 200 && !sent.length; i++) await sleep(10);
	await fb.flush();
	assert.equal(sent.length, 1);
	assert.equal(sent[0].verdict, 'irrelevant');
	assert.equal(sent[0].key, item.key);
});

/** POST /v1/jobs exists on this server (the bulk routes landed)? */
async function jobsAvailable(client) {
	try {
		await client.listJobs();
		return true;
	}
	catch (e) {
		if (e.code === 'not_found' || e.code === 'method_not_allowed') return false;
		throw e;
	}
}

test('bulk: cancel mid-job leaves a consistent library; a page applied twice changes nothing', { skip: env.skip }, async (t) => {
	const w = world();
	if (!(await jobsAvailable(w.client))) {
		t.skip('the helper has no /v1/jobs routes yet');
		return;
	}
	const full = await new BulkRunner({ ...w.ctx, pageSize: 3, pollMs: 50 }).run({ scope: 'library', libraryID: 1 });
	assert.equal(full.state, 'done');
	assert.ok(full.itemsChanged > 0);
	for (const item of w.regular()) assert.equal(sieveNotes(w.zotero, item).length, 1, `note on ${item.key}`);
	const done = w.zotero.state();
	const page = await w.client.jobPlan(String(full.jobID), '0', 1000);
	const twice = await applyPlans(page.entries.map(e => ({ libraryID: e.libraryID, key: e.key, plan: e.plan })),
		{ ...w.apply, Zotero: w.zotero });
	assert.equal(twice.changed, 0);
	assert.deepEqual(w.zotero.state(), done);

	const c = world();
	let runner;
	runner = new BulkRunner({ ...c.ctx, pageSize: 2, pollMs: 50, onProgress: () => {
		runner.cancel();
	} });
	const cancelled = await runner.run({ scope: 'library', libraryID: 1 });
	assert.ok(cancelled.cancelled);
	for (const item of c.regular()) {
		const verdicts = sieveTags(item).filter(x => !x.tag.includes('/topic/'));
		assert.ok(verdicts.length <= 1);
		assert.equal(sieveNotes(c.zotero, item).length, verdicts.length, `tags and note together on ${item.key}`);
	}
	assert.ok(cancelled.itemsChanged < full.itemsChanged || full.itemsChanged <= 2);
});

test('an outdated Sieve note is replaced when it is as Sieve wrote it', { skip: env.skip }, async () => {
	const w = world();
	await classifyItems(w.regular(), w.ctx);
	const before = w.zotero.state();
	const criteria = await w.client.call('GET', '/v1/criteria');
	try {
		// shifting every line moves the criterion line numbers quoted in the notes
		await w.client.call('PUT', '/v1/criteria', { text: `\n${criteria.text}` });
		const report = await classifyItems(w.regular(), w.ctx);
		assert.ok(report.apply.notesReplaced > 0, JSON.stringify(report.apply));
		assert.equal(report.apply.notesCreated, 0);
		assert.notDeepEqual(w.zotero.state(), before);
		for (const item of w.regular()) assert.equal(sieveNotes(w.zotero, item).length, 1);
	}
	finally {
		await w.client.call('PUT', '/v1/criteria', { text: criteria.text });
	}
});

test('a wrong token and a crashed helper fail at once with a clear message', { skip: env.skip }, async () => {
	const w = world();
	const wrong = new SieveClient({ http: w.zotero.HTTP, port: server.port, token: 'f'.repeat(64), timeout: 5000 });
	await assert.rejects(wrong.health(), e => e.code === 'unauthorized' && /token/.test(e.message));
	const other = copyLibrary(env.source);
	const second = await startServer(env.bin, other.db, other.dir);
	const client = new SieveClient({ http: w.zotero.HTTP, port: second.port, token: second.token, timeout: 5000 });
	await client.health();
	second.kill('SIGKILL');
	await sleep(100);
	const started = Date.now();
	await assert.rejects(client.classify([{ title: 't', abstract: 'a' }]), e => e.code === 'unreachable' && /not running/.test(e.message));
	assert.ok(Date.now() - started < 2000, 'no retries');
	await second.stop();
	fs.rmSync(other.dir, { recursive: true, force: true });
});

test('every request and response matched its schema in schema/api', { skip: env.skip }, () => {
	const checked = transports.reduce((n, t) => n + t.checked, 0);
	assert.ok(checked > 20, `only ${checked} exchanges were checked`);
	assert.deepEqual(transports.flatMap(t => t.problems), []);
});
