// `sieve report` pages in headless Chromium: the real Zotero 7 library (CLI and GET /v1/report,
// counts equal to a bulk job's over the same library, light and dark mode), and a JSONL file of
// judgments with hostile titles. Screenshots go to $SIEVE_REPORT_ARTIFACTS.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { after, test } = require('node:test');
const s = require('./support.js');

after(s.closeBrowser);

function imagingCopy(dir) {
	const db = path.join(dir, 'zotero', 'zotero.sqlite');
	fs.mkdirSync(path.dirname(db), { recursive: true });
	fs.copyFileSync(path.join(s.env('SIEVE_SHARED'), 'zotero-libraries',
		'zotero7-schema123-imaging.sqlite'), db);
	return db;
}

test('the real Zotero 7 library: CLI and helper route, light and dark', async () => {
	const dir = s.tempDir('sieve-report-');
	const env = { ...process.env, XDG_CACHE_HOME: path.join(dir, 'cache') };
	const db = imagingCopy(dir);
	const state = path.join(dir, 'zotero', 'sieve'); // the default state dir beside the library
	const server = await s.serve(db, state, { XDG_CACHE_HOME: env.XDG_CACHE_HOME });
	let job;
	let routed;
	try {
		job = await s.bulkJob(server, 120000);
		routed = await s.call(server, 'GET', '/v1/report?library=1');
	}
	finally {
		await server.stop();
	}
	assert.equal(routed.status, 200);
	assert.equal(routed.json.from_cache, job.total);
	const routePage = path.join(dir, 'route.html');
	fs.writeFileSync(routePage, routed.json.html);

	// The CLI finds the state store beside the library by itself.
	const out = path.join(s.artifacts(), 'imaging-report.html');
	const r = s.report(['--db', db, '--out', out], { env });
	const data = s.pageData(fs.readFileSync(out, 'utf8'));
	assert.equal(data.meta.from_cache, job.total, r.out);
	assert.equal(data.meta.judged_now, 0);
	assert.deepEqual(data.topics, s.pageData(routed.json.html).topics);

	const expected = s.jobCounts(job);
	for (const scheme of ['light', 'dark']) {
		const p = await s.checkPage(out, scheme, expected, `imaging-${scheme}.png`);
		const months = await s.chart(p.page, 'months');
		assert.ok(months && months.rects > 0, 'the months chart drew no bars');
		const fields = await s.chart(p.page, 'fields');
		const applications = data.fields.rows.reduce((n, r) => n + r.items, data.fields.other);
		assert.ok(data.fields.named && data.fields.unnamed === 0, 'every application item names its field');
		assert.equal(applications, expected.verdicts.application);
		assert.ok(fields && fields.rects >= data.fields.rows.length, 'the fields chart drew no bars');
		assert.equal(fields.tableRows, data.fields.rows.length + (data.fields.other ? 1 : 0));
		const links = await p.page.$$eval('#reading a', (as) => as.map((a) => a.getAttribute('href')));
		for (const l of links) assert.match(l, /^zotero:\/\/select\/library\/items\/[A-Z0-9]{8}$/);
		console.log(`imaging ${scheme}: ${data.meta.items} items, ${links.length} listed, ` +
			`page ready in ${p.readyMs} ms after navigation (${p.loadMs} ms with the browser's overhead)`);
		await p.close();
	}
	const p = await s.checkPage(routePage, 'light', expected, 'imaging-route-light.png');
	await p.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

test('a JSONL file of judgments with hostile titles', async () => {
	const dir = s.tempDir('sieve-report-');
	const corpus = fs.readFileSync(path.join(s.env('SIEVE_SHARED'), 'corpus', 'validation.jsonl'),
		'utf8').split('\n').filter(Boolean).slice(0, 400);
	const papers = path.join(dir, 'papers.jsonl');
	fs.writeFileSync(papers, corpus.join('\n') + '\n');
	const c = s.sieve(['classify', '--input', papers]);
	assert.equal(c.code, 0, c.err);
	const judgments = c.out.split('\n').filter(Boolean).map((l, i) => {
		const j = JSON.parse(l);
		const p = JSON.parse(corpus[i]);
		const month = String(1 + (i % 12)).padStart(2, '0');
		return { ...j, title: p.title, date_added: `2025-${month}-15 12:00:00`,
			key: `K${String(i).padStart(7, '0')}` };
	});
	const topic = judgments.find((j) => j.topics.length).topics[0];
	for (const title of ['<img src=x onerror="window.__pwned=1">', '</script><script>window.__pwned=2</script>']) {
		judgments.push({ id: title, verdict: 'relevant', topics: [topic], score: 10, confidence: 1,
			judge: 'test', note_html: '<p><strong>Why:</strong> <b>bold</b> &amp; "quoted"</p>', title });
	}
	const input = path.join(dir, 'judgments.jsonl');
	fs.writeFileSync(input, judgments.map((j) => JSON.stringify(j)).join('\n') + '\n');
	const expected = { verdicts: {}, topics: {} };
	for (const j of judgments) {
		expected.verdicts[j.verdict] = (expected.verdicts[j.verdict] || 0) + 1;
		for (const t of j.topics) expected.topics[t] = (expected.topics[t] || 0) + 1;
	}
	const out = path.join(s.artifacts(), 'input-report.html');
	s.report(['--input', input, '--out', out]);
	const p = await s.checkPage(out, 'light', expected, 'input-light.png');
	assert.equal(await p.page.evaluate(() => window.__pwned), undefined);
	assert.equal(await p.page.$$eval('#report img', (x) => x.length), 0);
	const listed = await p.page.$$eval('#reading .item-title', (x) => x.map((e) => e.textContent));
	assert.ok(listed.includes('</script><script>window.__pwned=2</script>'), 'hostile title shown as text');
	const reasons = await p.page.$$eval('#reading .reason', (x) => x.map((e) => e.textContent));
	assert.ok(reasons.includes('bold & "quoted"'));
	const months = await s.chart(p.page, 'months');
	assert.equal(months.tableRows, 12);
	await p.close();
	fs.rmSync(dir, { recursive: true, force: true });
});
