// Names the bootstrap sandbox defines (Zotero's plugins.js: the REASONS constants).
declare const APP_SHUTDOWN: number;
