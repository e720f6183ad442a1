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

test('clear errors: no executable, wrong token, never starts', async () => {
	await assert.rejects(world({ executable: '' }).manager.client(), /not running on port 23120.*preferences/);
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
