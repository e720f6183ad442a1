// `sieve report` over a generated 100,000-item library (bench_make_library: the real Zotero 7
// library's schema, the corpus papers as items; dates added spread over three years, some
// attachments opened, some items tagged "_read"): the judgments of a bulk job, then the report
// from the state store; the page's size, its counts and how fast it is ready in Chromium.
// The library is generated once into $SIEVE_REPORT_BIG_DIR and reused while the generator is
// unchanged. Timing bars (docs/benchmarks.md, "Report") are printed here, not asserted, since
// the test shares two cores with everything else; size and counts are asserted.
'use strict';

const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { after, test } = require('node:test');
const s = require('./support.js');

after(s.closeBrowser);

// Dates added from 2022 to 2024, more of them later, as libraries grow (the larger of two
// spread-out fractions: density rising linearly); every 4th attachment has a reading position;
// every 13th regular item a "_read" tag. Idempotent: run again when this text changes.
const SPREAD = `
UPDATE items SET dateAdded = datetime(1640995200 + CAST(94608000 *
  max((itemID * 7919 % 1000) / 1000.0, (itemID * 104729 % 997) / 997.0) AS INTEGER), 'unixepoch');
INSERT OR IGNORE INTO syncedSettings (setting, libraryID, value)
  SELECT 'lastPageIndex_u_' || i.key, 1, '3' FROM itemAttachments a JOIN items i USING (itemID)
  WHERE a.itemID % 4 = 0;
INSERT OR IGNORE INTO tags (name) VALUES ('_read');
INSERT OR IGNORE INTO itemTags (itemID, tagID, type)
  SELECT itemID, (SELECT tagID FROM tags WHERE name = '_read'), 0 FROM items
  WHERE itemID % 13 = 0 AND itemID NOT IN (SELECT itemID FROM itemAttachments)
    AND itemID NOT IN (SELECT itemID FROM itemNotes);
`;

/** The library: generated once (about 6 minutes), then kept while the generator is unchanged. */
function bigLibrary() {
	const dir = s.env('SIEVE_REPORT_BIG_DIR');
	const db = path.join(dir, 'zotero.sqlite');
	const stamp = path.join(dir, 'generated');
	const spread = path.join(dir, 'spread.sql');
	const generator = s.env('BENCH_MAKE_LIBRARY');
	if (!fs.existsSync(stamp) || fs.statSync(stamp).mtimeMs < fs.statSync(generator).mtimeMs) {
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const shared = s.env('SIEVE_SHARED');
		const g = spawnSync(generator, [
			path.join(shared, 'zotero-libraries', 'zotero7-schema123-imaging.sqlite'), db, '100000',
			path.join(shared, 'corpus', 'train.jsonl'), path.join(shared, 'corpus', 'validation.jsonl'),
		], { encoding: 'utf8' });
		assert.equal(g.status, 0, g.stderr);
		fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
	}
	if (!fs.existsSync(spread) || fs.readFileSync(spread, 'utf8') !== SPREAD) {
		const q = spawnSync('sqlite3', [db], { input: SPREAD, encoding: 'utf8' });
		assert.equal(q.status, 0, q.stderr);
		fs.writeFileSync(spread, SPREAD);
		const past = new Date(Date.now() - 3600e3); // a library Zotero is not writing right now
		fs.utimesSync(db, past, past);
	}
	return db;
}

test('a generated 100,000-item library', { timeout: 45 * 60 * 1000 }, async () => {
	const db = bigLibrary();
	const dir = s.tempDir('sieve-report-big-');
	const cache = { XDG_CACHE_HOME: path.join(dir, 'cache') };
	const state = path.join(dir, 'state');
	try {
		const server = await s.serve(db, state, cache);
		let job;
		try {
			job = await s.bulkJob(server, 30 * 60 * 1000);
		}
		finally {
			await server.stop();
		}
		const out = path.join(s.artifacts(), 'large-report.html');
		const env = { ...process.env, ...cache };
		const r = s.report(['--db', db, '--state-dir', state, '--out', out], { env });
		const size = fs.statSync(out).size;
		const data = s.pageData(fs.readFileSync(out, 'utf8'));
		console.log(`100k report: ${r.seconds.toFixed(2)} s wall (snapshot reused), ` +
			`${(size / 1e6).toFixed(2)} MB; ${r.out.trim()}`);
		assert.equal(data.meta.items, job.total);
		assert.equal(data.meta.from_cache, job.total);
		assert.ok(size <= 5e6, `page is ${size} bytes`);
		assert.equal(data.months.rows.length, 36);
		for (const list of data.reading) assert.ok(list.items.length <= 50);
		for (const scheme of ['light', 'dark']) {
			const p = await s.checkPage(out, scheme, s.jobCounts(job), `large-${scheme}.png`);
			console.log(`100k page ${scheme}: ready ${p.readyMs} ms after navigation (${p.loadMs} ms with the browser's overhead)`);
			await p.close();
		}
	}
	finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
