'use strict';
// The HTTP API's JSON Schemas (../schema/api) on the JavaScript side: wraps an HTTP transport so
// every request body and every response the extension's client exchanges with the real helper is
// validated against the schema of its route. Violations are collected, not thrown, so a test can
// finish and then assert that there were none.

const fs = require('node:fs');
const path = require('node:path');
const Ajv2020 = require('ajv/dist/2020').default;

const DIR = path.join(__dirname, '..', '..', '..', 'schema', 'api');

/** @type {import('ajv').default} */
const ajv = new Ajv2020({ allErrors: true, strict: false });
for (const file of fs.readdirSync(DIR).filter(f => f.endsWith('.schema.json'))) {
	ajv.addSchema(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')), file);
}

/**
 * The request and response schema files of a route ('' when there is no body to check).
 * @param {string} method
 * @param {string} route - the path without the query string
 * @returns {{request: string, response: string} | null}
 */
function schemasOf(method, route) {
	const key = `${method} ${route.replace(/^\/v1\/jobs\/[^/]+/, '/v1/jobs/{id}')}`;

	/** @type {Record<string, {request: string, response: string}>} */
	const routes = {
		'GET /v1/health': { request: '', response: 'health.response.schema.json' },
		'POST /v1/classify': { request: 'classify.request.schema.json', response: 'classify.response.schema.json' },
		'POST /v1/undo': { request: 'undo.request.schema.json', response: 'undo.response.schema.json' },
		'POST /v1/feedback': { request: 'feedback.request.schema.json', response: 'feedback.response.schema.json' },
		'GET /v1/criteria': { request: '', response: 'criteria.response.schema.json' },
		'PUT /v1/criteria': { request: 'criteria.put.request.schema.json', response: 'criteria.put.response.schema.json' },
		'POST /v1/jobs': { request: 'jobs.request.schema.json', response: 'job.response.schema.json' },
		'GET /v1/jobs': { request: '', response: 'jobs.response.schema.json' },
		'GET /v1/jobs/{id}': { request: '', response: 'job.response.schema.json' },
		'DELETE /v1/jobs/{id}': { request: '', response: 'job.response.schema.json' },
		'GET /v1/jobs/{id}/plan': { request: '', response: 'job_plan.response.schema.json' },
		'GET /v1/report': { request: '', response: 'report.response.schema.json' },
	};
	return routes[key] || null;
}

/**
 * @param {string} schema
 * @param {string} text
 * @param {string} what
 * @param {string[]} problems
 */
function check(schema, text, what, problems) {
	let value;
	try {
		value = JSON.parse(text);
	}
	catch {
		problems.push(`${what}: not JSON`);
		return;
	}
	if (!ajv.validate(schema, value)) problems.push(`${what}: ${ajv.errorsText(ajv.errors)}`);
}

/**
 * An HTTP transport like Zotero.HTTP that validates what passes through `inner`.
 * @param {{request: (method: string, url: string, options?: any) => Promise<any>}} inner
 * @returns {{request: (method: string, url: string, options?: any) => Promise<any>, problems: string[], checked: number}}
 */
function validating(inner) {
	const wrapper = {
		/** @type {string[]} */
		problems: [],
		checked: 0,

		/** @type {(method: string, url: string, options?: any) => Promise<any>} */
		async request(method, url, options = {}) {
			const route = new URL(url).pathname;
			const schemas = schemasOf(method, route);
			if (!schemas) wrapper.problems.push(`${method} ${route}: no schema for this route`);
			if (schemas && schemas.request && options.body !== undefined) {
				check(schemas.request, options.body, `${method} ${route} request`, wrapper.problems);
			}
			const xhr = await inner.request(method, url, options);
			const ok = xhr.status >= 200 && xhr.status < 300;
			const schema = ok ? schemas && schemas.response : 'error.schema.json';
			if (schema) check(schema, xhr.responseText, `${method} ${route} ${xhr.status}`, wrapper.problems);
			wrapper.checked++;
			return xhr;
		},
	};
	return wrapper;
}

module.exports = { validating, schemasOf };
