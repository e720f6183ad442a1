'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { SieveClient, SieveError } = require('../../content/lib/client.js');

/** A Zotero.HTTP stand-in that records calls and answers from a function. */
function stubHttp(answer) {
	const calls = [];
	return {
		calls,
		request: async (method, url, options) => {
			calls.push({ method, url, options });
			return answer(method, url, options);
		},
	};
}

test('requests carry the token, a timeout, and no retries', async () => {
	const http = stubHttp(() => ({ status: 200, responseText: '{"results":[]}' }));
	const client = new SieveClient({ http, port: 4321, token: 'abc', timeout: 1234 });
	assert.deepEqual(await client.classify([{ title: 't', abstract: 'a' }]), { results: [] });
	const { method, url, options } = http.calls[0];
	assert.equal(method, 'POST');
	assert.equal(url, 'http://127.0.0.1:4321/v1/classify');
	assert.equal(options.headers.Authorization, 'Bearer abc');
	assert.equal(options.errorDelayMax, 0);
	assert.equal(options.successCodes, false);
	assert.equal(options.timeout, 1234);
	assert.deepEqual(JSON.parse(options.body), { items: [{ title: 't', abstract: 'a' }], tagType: 1 });
	client.tagType = 0; // manual-tag mode: the helper plans, and undoes, manual tags
	await client.undo([]);
	assert.deepEqual(JSON.parse(http.calls[1].options.body), { items: [], tagType: 0 });
});

test('server errors become SieveErrors with the server\'s code', async () => {
	const http = stubHttp(() => ({ status: 409, responseText: '{"error":{"code":"job_running","message":"job 7 is running"}}' }));
	const client = new SieveClient({ http, port: 1, token: 't' });
	await assert.rejects(client.startJob({ scope: 'library' }), (e) => {
		assert.ok(e instanceof SieveError);
		assert.equal(e.code, 'job_running');
		assert.equal(e.status, 409);
		assert.equal(e.message, 'job 7 is running');
		return true;
	});
});

test('a wrong token, a dead helper, a timeout and garbage each get a clear message', async () => {
	const cases = [
		[() => ({ status: 401, responseText: '{"error":{"code":"unauthorized","message":"x"}}' }), 'unauthorized', /token/],
		[() => {
			throw Object.assign(new Error('connection refused'), { name: 'Error' });
		}, 'unreachable', /not running/],
		[() => {
			throw Object.assign(new Error('x'), { name: 'TimeoutException' });
		}, 'timeout', /in time/],
		[() => ({ status: 500, responseText: '<html>' }), 'bad_response', /not JSON/],
		[() => ({ status: 0, responseText: '' }), 'unreachable', /not running/],
	];
	for (const [answer, code, message] of cases) {
		const client = new SieveClient({ http: stubHttp(answer), port: 1, token: 't' });
		await assert.rejects(client.health(), e => e.code === code && message.test(e.message));
	}
});

test('job routes', async () => {
	const http = stubHttp(() => ({ status: 200, responseText: '{}' }));
	const client = new SieveClient({ http, port: 9, token: 't' });
	await client.jobPlan('7', '12', 100);
	await client.cancelJob('7');
	await client.job('7');
	await client.listJobs();
	assert.deepEqual(http.calls.map(c => `${c.method} ${c.url.slice('http://127.0.0.1:9'.length)}`), [
		'GET /v1/jobs/7/plan?cursor=12&limit=100', 'DELETE /v1/jobs/7', 'GET /v1/jobs/7', 'GET /v1/jobs',
	]);
});
