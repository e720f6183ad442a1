// End to end: "Library report" and a collection's report through the extension's client and
// content/lib/report.js against the real `sieve serve` on a copy of a real Zotero 7 library; the
// page is written to a real temporary folder (the windows that would show it are stand-ins).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const Ajv2020 = require('ajv/dist/2020').default;
const { environment, copyLibrary, startServer } = require('../support/server.js');
const { FakeZotero } = require('../support/fake_zotero.js');
const { SieveClient } = require('../../content/lib/client.js');
const { openReport, collectionScope } = require('../../content/lib/report.js');

const env = environment();
const SCHEMAS = path.join(__dirname, '..', '..', '..', 'schema', 'api');
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validReport = ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'report.response.schema.json'), 'utf8')));

let server;
let tmp;

test.before(async () => {
	if (env.skip) return;
	tmp = copyLibrary(env.source);
	server = await startServer(env.bin, tmp.db, tmp.dir);
});

test.after(async () => {
	if (server) await server.stop();
	if (tmp) fs.rmSync(tmp.dir, { recursive: true, force: true });
});

function context() {
	const client = new SieveClient({ http: new FakeZotero().HTTP, port: server.port, token: server.token });
	const answers = [];
	const call = client.call.bind(client);
	client.call = async (...args) => {
		const a = await call(...args);
		answers.push(a);
		return a;
	};
	const opened = [];
	return {
		answers, opened,
		ctx: {
			client,
			files: {
				tempDir: () => tmp.dir,
				join: (/** @type {string[]} */ ...p) => path.join(...p),
				makeDirectory: async (/** @type {string} */ p) => fs.mkdirSync(p, { recursive: true }),
				writeText: async (/** @type {string} */ p, /** @type {string} */ t) => fs.writeFileSync(p, t),
				fileURL: (/** @type {string} */ p) => `file://${p}`,
			},
			open: { viewer: (/** @type {string} */ u) => opened.push(u), browser: (/** @type {string} */ p) => opened.push(p) },
		},
	};
}

test('the library report and a collection report', { skip: env.skip }, async () => {
	const w = context();
	const r = await openReport(w.ctx, { libraryID: 1 });
	assert.ok(validReport(w.answers[0]), ajv.errorsText(validReport.errors));
	assert.equal(r.title, 'My Library');
	assert.ok(r.items > 0);
	const page = fs.readFileSync(r.path, 'utf8');
	assert.ok(page.startsWith('<!DOCTYPE html>'));
	assert.match(page, /id="sieve-report-data"/);
	assert.deepEqual(w.opened, [r.url]);

	const c = await openReport(w.ctx, collectionScope({ libraryID: 1, key: 'B2633IF8' }), 'browser');
	assert.ok(validReport(w.answers[1]), ajv.errorsText(validReport.errors));
	assert.ok(c.items > 0 && c.items < r.items, `${c.items} of ${r.items}`);
	assert.match(c.title, /^My Library › /);
	assert.equal(w.opened[1], c.path);
});

test('an unknown collection is a clear error', { skip: env.skip }, async () => {
	const w = context();
	await assert.rejects(openReport(w.ctx, { libraryID: 1, collectionKey: 'ZZZZ9999' }),
		{ code: 'not_found', message: /no collection ZZZZ9999/ });
	assert.equal(w.opened.length, 0);
});
