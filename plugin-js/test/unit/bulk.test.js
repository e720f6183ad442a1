'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { BulkRunner } = require('../../content/lib/bulk.js');
const { SieveError } = require('../../content/lib/client.js');
const { FakeZotero } = require('../support/fake_zotero.js');

const plan = (tag, note = { action: 'keep' }) => ({ add_tags: [{ tag, type: 1 }], remove_tags: [], note });
const entry = (seq, key, p) => ({ seq, libraryID: 1, key, verdict: 'relevant', topics: [], plan: p });
const status = (state, done) => ({ id: '7', state, total: 3, done, rate: 10, eta_seconds: state === 'running' ? 1 : null,
	counts: { relevant: done }, topics: {}, changes: done, user_edited: 0, read_only: 0, errors: 0, error: null });

/** A job API stand-in serving fixed pages (an empty "not yet" page first). */
function stubClient(pages) {
	const calls = [];
	let i = 0;
	return {
		calls,
		startJob: async (scope) => {
			calls.push(['start', scope]);
			return status('running', 0);
		},
		job: async () => status(i >= pages.length ? 'done' : 'running', Math.min(i, 3)),
		jobPlan: async (id, cursor) => {
			calls.push(['plan', cursor]);
			return pages[Math.min(i++, pages.length - 1)];
		},
		cancelJob: async () => {
			calls.push(['cancel']);
			return status('cancelled', 1);
		},
		listJobs: async () => ({ jobs: [status('running', 1)] }),
		classify: async items => ({ results: items.map((it, index) => ({ index, libraryID: it.libraryID, key: it.key,
			judgment: { verdict: 'relevant', topics: [] }, cached: false,
			plan: plan('sieve/relevant', { action: 'replace', key: it.notes[0].key, html: '<div data-sieve-note="1">new</div>' }) })) }),
	};
}

function seeded() {
	const z = new FakeZotero();
	for (const k of ['A', 'B', 'C']) z.seed({ itemType: 'journalArticle', key: k, title: k });
	return z;
}

const PAGES = [
	{ entries: [], next_cursor: '0', complete: false },
	{ entries: [entry(1, 'A', plan('sieve/relevant')), entry(2, 'B', plan('sieve/irrelevant'))], next_cursor: '2', complete: false },
	{ entries: [entry(3, 'C', plan('sieve/relevant'))], next_cursor: '3', complete: true },
];

test('pages are applied as they arrive, following the cursor, until complete', async () => {
	const z = seeded();
	const client = stubClient(PAGES);
	const progress = [];
	const runner = new BulkRunner({ Zotero: z, client, apply: { prefix: 'sieve/' }, sleep: async () => {},
		onProgress: p => progress.push(p.status.done) });
	const s = await runner.run({ scope: 'library', libraryID: 1 });
	assert.deepEqual(client.calls.filter(c => c[0] === 'plan').map(c => c[1]), ['0', '0', '2']);
	assert.equal(s.itemsChanged, 3);
	assert.equal(s.state, 'done');
	assert.ok(progress.length >= 2);
	assert.deepEqual(z.Items._byKey(1, 'B').getTags(), [{ tag: 'sieve/irrelevant', type: 1 }]);
	const again = new BulkRunner({ Zotero: z, client: stubClient(PAGES), apply: { prefix: 'sieve/' }, sleep: async () => {} });
	assert.equal((await again.run({ scope: 'library' })).itemsChanged, 0);
});

test('cancel stops applying and cancels the job', async () => {
	const z = seeded();
	const client = stubClient(PAGES);
	let runner;
	runner = new BulkRunner({ Zotero: z, client, apply: { prefix: 'sieve/' }, sleep: async () => {},
		onProgress: () => runner.cancel() });
	const s = await runner.run({ scope: 'library' });
	assert.ok(s.cancelled);
	assert.ok(client.calls.some(c => c[0] === 'cancel'));
	assert.equal(z.Items._byKey(1, 'C').getTags().length, 0);
});

test('a job already running is followed instead of failing', async () => {
	const z = seeded();
	const client = stubClient(PAGES);
	client.startJob = async () => {
		throw new SieveError('job_running', 'job 7 is running', 409);
	};
	const s = await new BulkRunner({ Zotero: z, client, apply: { prefix: 'sieve/' }, sleep: async () => {} }).run({ scope: 'library' });
	assert.equal(s.jobID, '7');
	assert.equal(s.itemsChanged, 3);
});

test('a note to replace is planned again inline before it is touched', async () => {
	const z = seeded();
	const old = '<div data-sieve-note="1">old</div>';
	const note = z.seed({ itemType: 'note', key: 'N', parentKey: 'A', note: old });
	const client = stubClient([{ entries: [entry(1, 'A', plan('sieve/relevant', { action: 'replace', key: 'N', html: 'x' }))],
		next_cursor: '1', complete: true }]);
	const s = await new BulkRunner({ Zotero: z, client, apply: { prefix: 'sieve/' }, sleep: async () => {} }).run({ scope: 'library' });
	assert.equal(s.applied.notesReplaced, 1);
	assert.equal(note.getNote(), '<div data-sieve-note="1">new</div>');
});
