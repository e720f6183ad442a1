/* eslint-disable no-undef */
// Default preferences (read by Zotero 7-10 for bootstrap extensions). helperPath empty: `sieve` on PATH.
pref("extensions.sieve.port", 23120);
pref("extensions.sieve.helperPath", "");
pref("extensions.sieve.stateDir", "");
pref("extensions.sieve.tagPrefix", "sieve/");
pref("extensions.sieve.manualTags", false);
pref("extensions.sieve.autoTag", true);
pref("extensions.sieve.writeNotes", true);
// The optional LLM judge of a helper the extension starts (empty model: the local model only).
// The API key is never a preference: the helper reads <state-dir>/llm-key.
pref("extensions.sieve.llmModel", "");
pref("extensions.sieve.llmUrl", "");
pref("extensions.sieve.llmMode", "hybrid");
