'use strict';

// The report's menu entries as Zotero 7, 8 and 10 show them (Tools menu: the selected library;
// a collection's context menu: that collection, or the library when a library row is selected):
// the page asked of the helper, written under the temporary folder and opened in Zotero's viewer;
// a helper error is shown to the user, never thrown.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { start, stubHelper } = require('../support/glue.js');

const PAGE = '<!DOCTYPE html><html><head><title>r</title></head><body></body></html>';

/** Clicks a report entry: 'tools' or 'collection'. */
function click(w, where) {
	if (w.log.menus) {
		const target = where === 'tools' ? 'main/menubar/tools' : 'main/library/collection';
		const rows = w.log.menus.show(target).filter(r => r.type === 'menuitem');
		return w.log.menus.click(rows[rows.length - 1]);
	}
	const id = where === 'tools' ? 'sieve-tools-report' : 'sieve-collectionmenu-report';
	w.window.document.getElementById(id).dispatch('command');
	return null;
}

async function settled(w, n) {
	const end = Date.now() + 5000;
	const count = () => w.zotero.shown.viewer.length + w.zotero.shown.alerts.length;
	while (count() < n) {
		if (Date.now() > end) throw new Error('no report shown');
		await new Promise(r => setTimeout(r, 10));
	}
}

for (const version of ['7.0.30', '8.0.5', '10.0']) {
	test(`Zotero ${version}: library and collection reports from the menus`, async () => {
		const w = await start({ version });
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-report-menu-'));
		w.zotero.tempDir = tmp;
		const stub = stubHelper(w.zotero, (method, route) => (route.startsWith('/v1/report')
			? { html: PAGE, title: 'r', items: 3, from_cache: 3, judged_now: 0 }
			: {}));
		try {
			w.window.ZoteroPane.selectedLibraries = [3];
			await click(w, 'tools');
			await settled(w, 1);
			w.window.ZoteroPane.getSelectedCollection = () => ({ libraryID: 3, key: 'B2633IF8' });
			await click(w, 'collection');
			await settled(w, 2);
			w.window.ZoteroPane.getSelectedCollection = () => false;
			await click(w, 'collection');
			await settled(w, 3);
			assert.deepEqual(stub.requests.map(r => `${r.method} ${r.route}`), ['GET /v1/report?library=3',
				'GET /v1/report?library=3&collection=B2633IF8',
				'GET /v1/report?library=3']);
			assert.deepEqual(w.zotero.shown.alerts, []);
			const files = fs.readdirSync(path.join(tmp, 'sieve-reports'));
			// one file per scope and second (the same report twice in a second is written once)
			assert.equal(files.length, new Set(w.zotero.shown.viewer).size);
			assert.ok(files.some(f => /^sieve-report-3-B2633IF8-\d{8}-\d{6}\.html$/.test(f)), files.join());
			for (const url of w.zotero.shown.viewer) {
				assert.match(url, /^file:\/\/.*\/sieve-reports\/sieve-report-3/);
				assert.equal(fs.readFileSync(new URL(url), 'utf8'), PAGE);
			}
			w.zotero.HTTP.request = async () => ({ status: 500, responseText: '{"error":"internal","message":"disk full"}' });
			await click(w, 'tools');
			await settled(w, 4);
			assert.match(w.zotero.shown.alerts[0].message, /The Sieve report could not be made/);
			assert.deepEqual(w.zotero.errors, []);
		}
		finally {
			w.scope.shutdown({}, 4);
			stub.remove();
			fs.rmSync(tmp, { recursive: true, force: true });
		}
	});
}
