// Helpers of the report page tests: the real `sieve` binary (report, serve with a bulk job as
// the independent count of the judgments), headless Debian Chromium through playwright-core (no
// browser download), and the checks every report page must pass. Environment (set by
// report/CMakeLists.txt): SIEVE_BIN, SIEVE_SHARED, SIEVE_REPORT_ARTIFACTS (screenshots),
// CHROMIUM (default /usr/bin/chromium).
'use strict';

const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require('playwright-core');

const VERDICTS = ['relevant', 'application', 'irrelevant'];

function env(name) {
	const v = process.env[name];
	assert.ok(v, `${name} is not set (run this test through ctest)`);
	return v;
}

function artifacts() {
	const dir = env('SIEVE_REPORT_ARTIFACTS');
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

function tempDir(prefix) {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs `sieve <args>`; returns { code, out, err, seconds }. */
function sieve(args, options = {}) {
	const t0 = process.hrtime.bigint();
	const r = spawnSync(env('SIEVE_BIN'), args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	return { code: r.status, out: r.stdout, err: r.stderr, seconds };
}

function report(args, options) {
	const r = sieve(['report', ...args], options);
	assert.equal(r.code, 0, `sieve report ${args.join(' ')}: ${r.err}`);
	return r;
}

/** The report data embedded in a page file. */
function pageData(html) {
	const open = '<script type="application/json" id="sieve-report-data">';
	const begin = html.indexOf(open) + open.length;
	return JSON.parse(html.slice(begin, html.indexOf('</script>', begin)));
}

/** `sieve serve` on `db` with its own state dir; resolves to { port, token, stop() }. */
async function serve(db, stateDir, extraEnv = {}) {
	const child = spawn(env('SIEVE_BIN'),
		['serve', '--port', '0', '--db', db, '--state-dir', stateDir],
		{ env: { ...process.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	const port = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`serve did not start: ${output}`)), 120000);
		const onData = (b) => {
			output += b;
			const m = /listening: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
	});
	const token = fs.readFileSync(path.join(stateDir, 'token'), 'utf8').trim();
	const stop = () => new Promise((resolve) => {
		if (child.exitCode !== null) return resolve();
		child.removeAllListeners('exit');
		child.on('exit', resolve);
		child.kill('SIGTERM');
	});
	return { port, token, stop };
}

/** One request to the helper; resolves to { status, json }. */
function call(server, method, target, body) {
	return new Promise((resolve, reject) => {
		const req = http.request({
			host: '127.0.0.1', port: server.port, method, path: target,
			headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' },
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(Buffer.concat(chunks)) }));
		});
		req.on('error', reject);
		if (body !== undefined) req.write(JSON.stringify(body));
		req.end();
	});
}

/** A bulk job over the whole library, to its end: its verdict and topic counts. */
async function bulkJob(server, timeoutMs) {
	const started = await call(server, 'POST', '/v1/jobs', { scope: 'library' });
	assert.equal(started.status, 202, JSON.stringify(started.json));
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const s = await call(server, 'GET', `/v1/jobs/${started.json.id}`);
		if (s.json.state !== 'running') {
			assert.equal(s.json.state, 'done', JSON.stringify(s.json));
			return s.json;
		}
		assert.ok(Date.now() < deadline, 'the bulk job did not finish in time');
		await new Promise((r) => setTimeout(r, 200));
	}
}

let browserPromise = null;
function browser() {
	browserPromise = browserPromise || chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
	});
	return browserPromise;
}

async function closeBrowser() {
	if (browserPromise) await (await browserPromise).close();
	browserPromise = null;
}

/**
 * Opens the page file in a fresh browser context with the colour scheme; records every request
 * the page makes (only the file itself may be loaded) and every script error.
 */
async function openPage(file, colorScheme) {
	const context = await (await browser()).newContext({
		colorScheme, viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1,
	});
	const page = await context.newPage();
	const requests = [];
	const errors = [];
	page.on('request', (r) => requests.push(r.url()));
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
	await context.route('**/*', (route) => (route.request().url().startsWith('file:') ?
		route.continue() : route.abort()));
	const url = pathToFileURL(file).href;
	const t0 = Date.now();
	await page.goto(url, { waitUntil: 'load' });
	await page.waitForSelector('html[data-rendered="true"]', { timeout: 30000 });
	const loadMs = Date.now() - t0;
	const readyMs = Number(await page.evaluate(() => document.documentElement.dataset.readyMs));
	return { context, page, requests, errors, url, loadMs, readyMs };
}

/** CIE L* of a CSS colour (#rrggbb or rgb()). */
function lightness(color) {
	let rgb;
	const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
	if (hex) rgb = [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16));
	else rgb = color.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
	const lin = rgb.map((c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
	const y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
	return 116 * (y > 0.008856 ? Math.cbrt(y) : 7.787 * y + 16 / 116) - 16;
}

/** What a figure shows: SVG marks, title, text alternative. */
async function chart(page, id) {
	return page.evaluate((id) => {
		const svg = document.querySelector(`svg[data-chart="${id}"]`);
		if (!svg) return null;
		const fills = [...svg.querySelectorAll('rect')].map((r) => r.getAttribute('fill') ||
			r.parentElement.getAttribute('fill')).filter(Boolean);
		return {
			rects: svg.querySelectorAll('rect').length,
			fills: [...new Set(fills)],
			label: svg.getAttribute('aria-label'),
			description: svg.getAttribute('aria-description'),
			caption: document.getElementById(`${id}-desc`).textContent,
			tableRows: document.querySelectorAll(`#${id}-figure tbody tr`).length,
		};
	}, id);
}

/** "<name>: N relevant, N application, N irrelevant." sentences of a text alternative. */
function countsIn(description) {
	const out = new Map();
	for (const sentence of description.split(/\.(?:\s+|$)/)) {
		const m = /^(.+): ([\d,]+) relevant, ([\d,]+) application, ([\d,]+) irrelevant$/.exec(sentence);
		if (m) out.set(m[1], [m[2], m[3], m[4]].map((n) => Number(n.replace(/,/g, ''))));
	}
	return out;
}

/**
 * The checks of every page: nothing but the file loaded, no script error, the charts drawn with
 * titles and text alternatives whose counts equal `expected` (verdict totals and per-topic
 * item counts of the judgments: { verdicts: {v: n}, topics: {name: n} }), verdict colours that
 * differ in lightness by >= 20 in this colour scheme. Saves a full-page screenshot.
 */
async function checkPage(file, colorScheme, expected, shot) {
	const p = await openPage(file, colorScheme);
	try {
		assert.deepEqual(p.requests, [p.url], 'the page made a request');
		assert.deepEqual(p.errors, [], 'script errors');
		const topics = await chart(p.page, 'topics');
		const scores = await chart(p.page, 'scores');
		assert.ok(topics && topics.rects > 0, 'the topics chart drew no bars');
		assert.ok(scores && scores.rects > 0, 'the scores chart drew no bars');
		assert.equal(topics.label, 'Verdicts per topic');
		assert.equal(topics.description, topics.caption);
		const perTopic = countsIn(topics.description);
		for (const [name, n] of Object.entries(expected.topics)) {
			assert.ok(perTopic.has(name), `topic ${name} missing from: ${topics.description}`);
			assert.equal(perTopic.get(name).reduce((a, b) => a + b, 0), n, `topic ${name}`);
		}
		const perScore = countsIn(scores.description);
		assert.equal(perScore.size, 10);
		const sums = VERDICTS.map((_, i) => [...perScore.values()].reduce((s, c) => s + c[i], 0));
		assert.deepEqual(sums, VERDICTS.map((v) => expected.verdicts[v] || 0), 'score chart totals');
		const totals = await p.page.textContent('#totals');
		for (const v of VERDICTS) {
			assert.match(totals, new RegExp(`${(expected.verdicts[v] || 0).toLocaleString('en-US')} ${v}`));
		}
		const palette = await p.page.evaluate((vs) => vs.map((v) =>
			getComputedStyle(document.documentElement).getPropertyValue(`--${v}`).trim()), VERDICTS);
		const ls = palette.map(lightness).sort((a, b) => a - b);
		assert.ok(ls[1] - ls[0] >= 20 && ls[2] - ls[1] >= 20, `greyscale: L* ${ls.map(Math.round)}`);
		for (const f of topics.fills) assert.ok(palette.includes(f), `fill ${f} not a verdict colour`);
		await p.page.screenshot({ path: path.join(artifacts(), shot), fullPage: true });
		return { page: p.page, loadMs: p.loadMs, readyMs: p.readyMs, close: () => p.context.close() };
	}
	catch (e) {
		await p.context.close();
		throw e;
	}
}

/** Verdict and topic counts as a bulk job reports them. */
function jobCounts(job) {
	return { verdicts: job.counts, topics: job.topics };
}

module.exports = {
	VERDICTS, env, artifacts, tempDir, sieve, report, pageData, serve, call, bulkJob,
	openPage, checkPage, chart, countsIn, closeBrowser, jobCounts, lightness,
};
