'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { HelperManager } = require('../../content/lib/helper.js');

/** A helper that is up when `state.up` and accepts `state.token`. */
function world({ up = false, token = 'good', executable = '/usr/bin/sieve' } = {}) {
	const state = { up, token, file: up ? token : null, spawned: [], killed: 0 };
	const http = {
		request: async (method, url, options) => {
			if (!state.up) throw new Error('connection refused');
			if (options.headers.Authorization !== `Bearer ${state.token}`) {
				return { status: 401, responseText: '{"error":{"code":"unauthorized","message":"no"}}' };
			}
			return { status: 200, responseText: '{"version":"1","tag_prefix":"sieve/"}' };
		},
	};
	const manager = new HelperManager({
		http,
		settings: () => ({ port: 23120, stateDir: '/data/sieve', executable, dbPath: '/data/zotero.sqlite' }),
		readToken: async path => (path === '/data/sieve/token' ? state.file : null),
		spawn: async (command, args) => {
			state.spawned.push([command, ...args]);
			state.up = true;
			state.file = state.token;
			return { kill: () => {
				state.killed++;
			} };
		},
		sleep: async () => {}, startTimeoutMs: 200,
	});
	return { state, manager };
}

test('a running helper is used as it is, and not stopped', async () => {
	const { state, manager } = world({ up: true });
	const client = await manager.client();
	assert.equal(client.info.version, '1');
	manager.stop();
	assert.deepEqual(state.spawned, []);
	assert.equal(state.killed, 0);
});

test('a missing helper is started with the configured paths, then stopped', async () => {
	const { state, manager } = world();
	await manager.client();
	assert.deepEqual(state.spawned, [['/usr/bin/sieve',
		'serve',
		'--port',
		'23120',
		'--db',
		'/data/zotero.sqlite',
		'--state-dir',
		'/data/sieve']]);
	manager.stop();
	assert.equal(state.killed, 1);
});

test('no executable set: `sieve` is started (found on PATH by spawn)', async () => {
	const { state, manager } = world({ executable: '' });
	await manager.client();
	assert.equal(state.spawned[0][0], 'sieve');
});

test('clear errors: helper not found, wrong token, never starts, stops at once', async () => {
	const missing = world({ executable: '' });
	missing.manager.ctx.spawn = async () => {
		throw new Error('Executable not found: sieve');
	};
	await assert.rejects(missing.manager.client(), e => e.code === 'no_helper' && !e.configured && /"sieve" was not found/.test(e.message));
	const broken = world({ executable: '/opt/sieve' });
	broken.manager.ctx.spawn = missing.manager.ctx.spawn;
	await assert.rejects(broken.manager.client(), e => e.code === 'no_helper' && e.configured);
	const crashing = world();
	crashing.manager.ctx.spawn = async () => ({ kill: () => {}, exited: Promise.resolve({ exitCode: 1 }) });
	await assert.rejects(crashing.manager.client(), /stopped right after it was started/);
	const wrong = world({ up: true });
	wrong.state.file = 'stale';
	await assert.rejects(wrong.manager.client(), e => e.code === 'unauthorized' && /token/.test(e.message));
	assert.deepEqual(wrong.state.spawned, []);
	const dead = world();
	dead.manager.ctx.spawn = async () => ({ kill: () => {} });
	await assert.rejects(dead.manager.client(), /did not start within/);
});

test('the LLM preferences become --llm-* flags of a helper the extension starts', async () => {
	const { state, manager } = world();
	const settings = manager.ctx.settings;
	manager.ctx.settings = () => ({ ...settings(), llm: { model: 'qwen3:8b', url: 'http://127.0.0.1:8080/v1', mode: 'hybrid' } });
	await manager.client();
	assert.deepEqual(state.spawned[0].slice(-6),
		['--llm-model', 'qwen3:8b', '--llm-url', 'http://127.0.0.1:8080/v1', '--llm-mode', 'hybrid']);
	const plain = world();
	plain.manager.ctx.settings = () => ({ ...settings(), llm: { model: '', url: 'x', mode: 'llm' } });
	await plain.manager.client();
	assert.ok(!plain.state.spawned[0].some(a => String(a).startsWith('--llm')));
});
