// Starts the real `sieve serve` on a copy of a real Zotero library, for the end-to-end tests.
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const LIBRARY = 'zotero-libraries/zotero7-schema123-imaging.sqlite';

/** The sieve binary and shared data folder from the environment, or a reason to skip. */
function environment() {
	const bin = process.env.SIEVE_BIN;
	const shared = process.env.SIEVE_SHARED || path.resolve(__dirname, '../../../../shared');
	if (!bin || !fs.existsSync(bin)) return { skip: 'SIEVE_BIN is not set to the sieve binary' };
	const source = path.join(shared, LIBRARY);
	if (!fs.existsSync(source)) return { skip: `${source} is missing (set SIEVE_SHARED)` };
	return { bin, source };
}

/** Copies the library into a fresh temporary folder. */
function copyLibrary(source) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sieve-js-'));
	const db = path.join(dir, 'zotero.sqlite');
	fs.copyFileSync(source, db);
	fs.chmodSync(db, 0o644);
	return { dir, db };
}

/** The items `sieve library` reads from the database, one object per regular item. */
function readLibrary(bin, db, dir) {
	const out = execFileSync(bin, ['library',
		'--db',
		db,
		'--format',
		'jsonl',
		'--snapshot-dir',
		path.join(dir, 'snap')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
	return out.split('\n').filter(Boolean).map(l => JSON.parse(l));
}

/**
 * Starts `sieve serve --port 0` and resolves once it prints its URL.
 * @returns {Promise<{ port: number, token: string, stateDir: string, stop: () => Promise<void>,
 *   kill: (signal: string) => boolean }>}
 */
function startServer(bin, db, dir) {
	const stateDir = path.join(dir, 'state');
	fs.mkdirSync(stateDir, { recursive: true });
	const proc = spawn(bin, ['serve', '--port', '0', '--db', db, '--state-dir', stateDir],
		{ stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`sieve serve did not start:\n${output}`)), 20000);
		proc.on('exit', code => reject(new Error(`sieve serve exited with ${code}:\n${output}`)));
		proc.stderr.on('data', (d) => {
			output += d;
		});
		let found = false;
		proc.stdout.on('data', (d) => {
			output += d;
			if (found) return;
			const m = /listening: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
			if (!m) return;
			found = true;
			clearTimeout(timer);
			const token = fs.readFileSync(path.join(stateDir, 'token'), 'utf8').trim();
			resolve({ port: Number(m[1]), token, stateDir, stop: () => stop(proc), kill: sig => proc.kill(sig) });
		});
	});
}

function stop(proc) {
	return new Promise((resolve) => {
		if (proc.exitCode !== null || proc.signalCode !== null) {
			resolve();
			return;
		}
		proc.removeAllListeners('exit');
		proc.on('exit', () => resolve());
		proc.kill('SIGTERM');
	});
}

/**
 * Fills a fake Zotero with the library's regular items, their tags and child notes.
 * @param {import('./fake_zotero.js').FakeZotero} zotero
 * @param {any[]} rows - from readLibrary()
 */
function seedFake(zotero, rows) {
	for (const r of rows) {
		zotero.seed({
			libraryID: r.library_id, key: r.key, itemType: r.item_type, title: r.title,
			abstract: r.abstract, venue: r.venue, tags: r.tags,
		});
		for (const n of r.notes || []) {
			zotero.seed({ libraryID: r.library_id, key: n.key, itemType: 'note', parentKey: r.key, note: n.html });
		}
	}
}

module.exports = { environment, copyLibrary, readLibrary, startServer, seedFake };
