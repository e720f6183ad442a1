// Firefox's Subprocess module (resource://gre/modules/Subprocess.sys.mjs) over Node's
// child_process, for the extension's spawn(): pathSearch(command) resolves with the absolute path
// found on the given PATH or rejects; call() needs an absolute path, starts the real program and
// gives stdout.readString() (resolves '' at the end), kill() and wait(). Every process started
// is kept in `started`, so a test can check that the extension stopped it.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** @param {{ PATH?: string }} [opts] */
function fakeSubprocess({ PATH = '' } = {}) {
	/** @type {import('node:child_process').ChildProcess[]} */
	const started = [];
	const Subprocess = {
		async pathSearch(command) {
			for (const dir of PATH.split(':').filter(Boolean)) {
				const file = path.join(dir, command);
				try {
					fs.accessSync(file, fs.constants.X_OK);
					if (fs.statSync(file).isFile()) return file;
				}
				catch {
					// not here
				}
			}
			throw new Error(`Executable not found: ${command}`);
		},

		async call({ command, arguments: args = [] }) {
			if (!path.isAbsolute(command)) throw new Error(`Subprocess.call: the command must be an absolute path: ${command}`);
			const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
			started.push(proc);
			const exited = new Promise(resolve => proc.on('exit', code => resolve({ exitCode: code })));
			await new Promise((resolve, reject) => {
				proc.once('spawn', resolve);
				proc.once('error', reject);
			});
			const output = { chunks: [], ended: false, wake: () => {} };
			const push = (d) => {
				output.chunks.push(String(d));
				output.wake();
			};
			proc.stdout.on('data', push);
			proc.stderr.on('data', push);
			proc.stdout.on('end', () => {
				output.ended = true;
				output.wake();
			});
			const next = () => new Promise((r) => {
				output.wake = r;
			});
			return {
				stdout: {
					async readString() {
						while (!output.chunks.length && !output.ended) await next();
						return output.chunks.splice(0).join('');
					},
				},
				kill: () => proc.kill('SIGTERM'),
				wait: () => exited,
			};
		},
	};
	return { Subprocess, started };
}

module.exports = { fakeSubprocess };
