'use strict';

// The built extension (SIEVE_XPI, packed by plugin-js/CMakeLists.txt) and its update manifest
// (SIEVE_UPDATE_JSON): what Zotero reads when it installs and updates Sieve.
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { PLUGIN_LOCALES } = require('../../content/lib/locales.js');

const XPI = process.env.SIEVE_XPI;
const UPDATE = process.env.SIEVE_UPDATE_JSON;
const BASE = (process.env.SIEVE_UPDATE_BASE_URL || '').replace(/\/+$/, '');
const skip = !XPI || !fs.existsSync(XPI) ? 'SIEVE_XPI is not set to a built sieve.xpi' : false;

/** The files of a zip archive (stored or deflated entries), from its central directory. */
function unzip(buf) {
	const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
	const count = buf.readUInt16LE(end + 10);
	let at = buf.readUInt32LE(end + 16);
	const files = new Map();
	for (let i = 0; i < count; i++) {
		const method = buf.readUInt16LE(at + 10);
		const size = buf.readUInt32LE(at + 20);
		const nameLength = buf.readUInt16LE(at + 28);
		const skipLength = nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
		const local = buf.readUInt32LE(at + 42);
		const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
		const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
		const data = buf.subarray(start, start + size);
		files.set(name, method === 8 ? zlib.inflateRawSync(data) : data);
		at += 46 + skipLength;
	}
	return files;
}

test('the .xpi holds the extension, both locales and a manifest with the configured update URL', { skip }, () => {
	const files = unzip(fs.readFileSync(XPI));
	for (const f of ['manifest.json',
		'bootstrap.js',
		'prefs.js',
		'content/main.js',
		'content/lib/locales.js',
		'content/preferences.xhtml']) assert.ok(files.has(f), f);
	for (const l of PLUGIN_LOCALES) assert.ok(files.has(`locale/${l}/sieve.ftl`), l);
	assert.ok(![...files.keys()].some(f => f.startsWith('test/') || f.startsWith('node_modules/')));
	const manifest = JSON.parse(files.get('manifest.json').toString('utf8'));
	const source = JSON.parse(fs.readFileSync(path.join(__dirname, '../../manifest.json'), 'utf8'));
	assert.equal(manifest.applications.zotero.update_url, `${BASE}/update.json`);
	assert.equal(manifest.applications.zotero.strict_max_version, source.applications.zotero.strict_max_version);
	assert.equal(manifest.version, source.version);
});

test('update.json announces this version with the .xpi\'s sha256', { skip }, () => {
	const update = JSON.parse(fs.readFileSync(UPDATE, 'utf8'));
	const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../manifest.json'), 'utf8'));
	const zotero = manifest.applications.zotero;
	const [entry] = update.addons[zotero.id].updates;
	const sha256 = crypto.createHash('sha256').update(fs.readFileSync(XPI)).digest('hex');
	assert.deepEqual(entry, {
		version: manifest.version,
		update_link: `${BASE}/sieve-${manifest.version}.xpi`,
		update_hash: `sha256:${sha256}`,
		applications: { zotero: { strict_min_version: zotero.strict_min_version, strict_max_version: zotero.strict_max_version } },
	});
});

test('the locales of the extension: every message of en-US in every locale, with the same attributes', () => {
	const { parseFTL } = require('../support/fake_l10n.js');
	const dir = path.join(__dirname, '../../locale');
	assert.deepEqual(fs.readdirSync(dir).sort(), [...PLUGIN_LOCALES].sort());
	const read = l => parseFTL(fs.readFileSync(path.join(dir, l, 'sieve.ftl'), 'utf8'));
	const base = read('en-US');
	for (const l of PLUGIN_LOCALES) {
		const other = read(l);
		assert.deepEqual([...other.keys()].sort(), [...base.keys()].sort(), l);
		for (const [id, msg] of base) {
			assert.deepEqual(Object.keys(other.get(id).attributes), Object.keys(msg.attributes), `${l} ${id}`);
			const vars = m => [...`${m.value} ${Object.values(m.attributes).join(' ')}`.matchAll(/\$([\w-]+)/g)].map(x => x[1]).sort();
			assert.deepEqual(vars(other.get(id)), vars(msg), `${l} ${id}: the same variables`);
		}
	}
});
