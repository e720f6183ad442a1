// ESLint 9 flat config: Zotero's own rules (@zotero/eslint-config, an eslintrc-style preset whose
// rules are reused here), restricted to the rules this ESLint still ships (its formatting rules
// are deprecated in ESLint 9 but still enforced).
'use strict';

const js = require('@eslint/js');
const globals = require('globals');
const zotero = require('@zotero/eslint-config');
const { builtinRules } = require('eslint/use-at-your-own-risk');

const zoteroRules = Object.fromEntries(Object.entries(zotero.rules)
	.filter(([name]) => builtinRules.has(name)));

/** Globals of a bootstrap extension's sandbox and of Zotero windows. */
const zoteroGlobals = {
	Zotero: 'readonly', Services: 'readonly', ChromeUtils: 'readonly', Components: 'readonly',
	IOUtils: 'readonly', PathUtils: 'readonly', Localization: 'readonly', Cc: 'readonly', Ci: 'readonly',
};

module.exports = [
	{ ignores: ['node_modules/**', 'build/**'] },
	js.configs.recommended,
	{
		files: ['**/*.js'],
		languageOptions: {
			ecmaVersion: 2022,
			sourceType: 'commonjs',
			globals: { ...globals.node, ...zoteroGlobals },
		},
		rules: {
			...zoteroRules,
			// JSDoc type casts open many blocks; Zotero's padded-blocks forbids the blank line anyway
			'lines-around-comment': ['error', { beforeBlockComment: true, allowBlockStart: true,
				allowObjectStart: true, allowClassStart: true, allowArrayStart: true }],
		},
	},
	{
		files: ['bootstrap.js', 'content/ui/**/*.js', 'content/*.js', 'prefs.js'],
		languageOptions: { sourceType: 'script', globals: { ...globals.browser, ...zoteroGlobals } },
	},
	{
		// tests build the helper's JSON (snake_case keys) by hand
		files: ['test/**/*.js', 'eslint.config.js'],
		rules: { 'no-process-env': 'off', camelcase: ['error', { properties: 'never', allow: ['^Zotero_'] }] },
	},
];
