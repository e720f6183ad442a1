// Screenshot of a `sieve report` page in headless Debian Chromium (playwright-core, no browser
// download): node report/tools/screenshot.js PAGE.html OUT.png [light|dark] [WIDTH]
// Waits until the page has drawn its charts; the whole page is captured.
'use strict';

const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require('playwright-core');

async function main() {
	const [page, out, scheme = 'light', width = '1100'] = process.argv.slice(2);
	if (!page || !out) {
		console.error('usage: node report/tools/screenshot.js PAGE.html OUT.png [light|dark] [WIDTH]');
		process.exit(2);
	}
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
	});
	try {
		const context = await browser.newContext({
			colorScheme: scheme, viewport: { width: Number(width), height: 900 },
		});
		await context.route('**/*', (r) => (r.request().url().startsWith('file:') ? r.continue() : r.abort()));
		const p = await context.newPage();
		await p.goto(pathToFileURL(path.resolve(page)).href);
		await p.waitForSelector('html[data-rendered="true"]', { timeout: 30000 });
		await p.screenshot({ path: out, fullPage: true });
	}
	finally {
		await browser.close();
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
