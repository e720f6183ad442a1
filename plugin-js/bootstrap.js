/* global APP_SHUTDOWN */
/* exported install, startup, onMainWindowLoad, onMainWindowUnload, shutdown, uninstall */
// Bootstrap entry points. Everything is handed to content/main.js (the `Sieve` object).
'use strict';

var sieveInstance;

function install() {}

async function startup({ id, version, rootURI }) {
	const scope = { rootURI };
	for (const file of ['commands', 'menus', 'main']) {
		Services.scriptloader.loadSubScriptWithOptions(`${rootURI}content/${file}.js`, { target: scope, ignoreCache: true });
	}
	sieveInstance = scope.Sieve;
	await sieveInstance.startup({ id, version, rootURI });
}

function onMainWindowLoad({ window }) {
	sieveInstance?.onMainWindowLoad(window);
}

function onMainWindowUnload({ window }) {
	sieveInstance?.onMainWindowUnload(window);
}

function shutdown(data, reason) {
	if (reason === APP_SHUTDOWN) {
		sieveInstance?.stopHelper();
		return;
	}
	sieveInstance?.shutdown();
	sieveInstance = undefined;
}

function uninstall() {}
