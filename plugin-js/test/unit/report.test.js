'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const {
	openReport, reportTarget, reportFileName, libraryScope, collectionScope, zoteroReportContext, reportCommand,
} = require('../../content/lib/report.js');
const { SieveError } = require('../../content/lib/client.js');

const PAGE = '<!DOCTYPE html>\n<html lang="en"><body>report</body></html>\n';

/** A client stand-in answering GET /v1/report, and file and window stand-ins that record. */
function world(answer = { title: 'My Library', items: 17, from_cache: 10, judged_now: 7, html: PAGE }) {
	const calls = [];
	const written = new Map();
	const dirs = [];
	const opened = [];
	return {
		calls, written, dirs, opened,
		ctx: {
			client: {
				call: async (method, path, body, opts) => {
					calls.push({ method, path, body, opts });
					if (answer instanceof Error) throw answer;
					return answer;
				},
			},
			files: {
				tempDir: () => '/tmp',
				join: (...parts) => parts.join('/'),
				makeDirectory: async (p) => {
					dirs.push(p);
				},
				writeText: async (p, t) => {
					written.set(p, t);
				},
				fileURL: p => `file://${p}`,
			},
			open: {
				viewer: url => opened.push(['viewer', url]),
				browser: p => opened.push(['browser', p]),
			},
		},
	};
}

test('the report of a library opens in the viewer', async () => {
	const w = world();
	const r = await openReport(w.ctx, { libraryID: 1 });
	assert.deepEqual(w.calls.map(c => [c.method, c.path]), [['GET', '/v1/report?library=1']]);
	assert.ok(w.calls[0].opts.timeout >= 60000, 'a report may take a while');
	assert.equal(w.dirs[0], '/tmp/sieve-reports');
	assert.match(r.path, /^\/tmp\/sieve-reports\/sieve-report-1-\d{8}-\d{6}\.html$/);
	assert.equal(w.written.get(r.path), PAGE);
	assert.deepEqual(w.opened, [['viewer', `file://${r.path}`]]);
	assert.deepEqual({ title: r.title, items: r.items, fromCache: r.fromCache, judgedNow: r.judgedNow },
		{ title: 'My Library', items: 17, fromCache: 10, judgedNow: 7 });
});

test('the report of a collection opens in the browser', async () => {
	const w = world();
	const r = await openReport(w.ctx, collectionScope({ libraryID: 3, key: 'ABCD2345' }), 'browser');
	assert.equal(w.calls[0].path, '/v1/report?library=3&collection=ABCD2345');
	assert.match(r.path, /sieve-report-3-ABCD2345-/);
	assert.deepEqual(w.opened, [['browser', r.path]]);
});

test('bad scopes are refused before any request', async () => {
	for (const scope of [{ libraryID: 0 },
		{ libraryID: 1.5 },
		{ libraryID: 1, collectionKey: 'abc' },
		{ libraryID: 1, collectionKey: 'ABCD2345&x=1' }]) {
		const w = world();
		await assert.rejects(openReport(w.ctx, /** @type {any} */ (scope)), e => e instanceof SieveError && e.code === 'invalid_scope');
		assert.equal(w.calls.length, 0);
	}
	assert.throws(() => reportTarget({ libraryID: -1 }), SieveError);
});

test('helper errors and answers without a page write nothing', async () => {
	const w = world(new SieveError('not_found', 'no collection ZZZZ9999 in library 1', 404));
	await assert.rejects(openReport(w.ctx, { libraryID: 1, collectionKey: 'ZZZZ9999' }), { code: 'not_found' });
	assert.equal(w.written.size, 0);
	assert.equal(w.opened.length, 0);
	const b = world({ title: 'x', items: 0, html: '{"not":"a page"}' });
	await assert.rejects(openReport(b.ctx, { libraryID: 1 }), { code: 'bad_response' });
	assert.equal(b.written.size, 0);
});

test('scopes from the Zotero pane', () => {
	assert.deepEqual(libraryScope({ getSelectedLibraryID: () => 5 }), { libraryID: 5 });
	assert.deepEqual(libraryScope({ getSelectedLibraryID: () => null }), { libraryID: 1 });
	assert.deepEqual(libraryScope(null), { libraryID: 1 });
	assert.equal(reportFileName({ libraryID: 2 }, new Date('2026-12-06T21:05:09Z')), 'sieve-report-2-20261206-210509.html');
});

test('the Zotero context uses IOUtils, PathUtils, openInViewer and launchFile', async () => {
	const seen = [];
	const ctx = zoteroReportContext(
		{ openInViewer: u => seen.push(['viewer', u]), launchFile: p => seen.push(['launch', p]) },
		{ makeDirectory: async (p, o) => seen.push(['mkdir', p, o.ignoreExisting]), writeUTF8: async (p, t) => seen.push(['write', p, t.length]) },
		{ tempDir: '/t', join: (...p) => p.join('/'), toFileURI: p => `file://${p}` });
	await ctx.files.makeDirectory('/t/sieve-reports');
	await ctx.files.writeText('/t/a.html', 'abc');
	ctx.open.viewer(ctx.files.fileURL('/t/a.html'));
	ctx.open.browser('/t/a.html');
	assert.equal(ctx.files.tempDir(), '/t');
	assert.deepEqual(seen, [['mkdir', '/t/sieve-reports', true],
		['write', '/t/a.html', 3],
		['viewer', 'file:///t/a.html'],
		['launch', '/t/a.html']]);
});

test('the menu command shows failures instead of throwing', async () => {
	const notes = [];
	const opened = [];
	const deps = {
		client: async () => ({ call: async () => ({ title: 'T', items: 1, from_cache: 0, judged_now: 1, html: PAGE }) }),
		Zotero: { openInViewer: u => opened.push(u), launchFile: () => {} },
		IOUtils: { makeDirectory: async () => {}, writeUTF8: async () => {} },
		PathUtils: { tempDir: '/t', join: (...p) => p.join('/'), toFileURI: p => `file://${p}` },
		notify: m => notes.push(m),
	};
	const r = await reportCommand(deps, { libraryID: 1 });
	assert.equal(opened.length, 1);
	assert.equal(r.items, 1);
	assert.deepEqual(notes, []);
	const down = await reportCommand({ ...deps, client: async () => {
		throw new SieveError('unreachable', 'The Sieve helper is not running or cannot be reached');
	} }, { libraryID: 1 });
	assert.equal(down, null);
	assert.match(notes[0], /could not be made: The Sieve helper is not running/);
});
