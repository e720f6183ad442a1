// The page script of `sieve report` (docs/report.md). Reads the report data from the JSON block
// with id "sieve-report-data" and draws the charts with Observable Plot (global `Plot`, with
// `d3`), both inlined before this script. Every text from the library is inserted with
// textContent, never as markup. Each chart is an SVG with a title (aria-label), a text
// alternative that states its counts (aria-description, also shown as a caption) and a data
// table; colours come from CSS variables, so light and dark mode each have a palette whose
// three verdict colours differ in lightness (distinguishable in greyscale).
/* global Plot, d3 */
'use strict';

(function () {
	const VERDICTS = ['relevant', 'application', 'irrelevant'];
	const data = JSON.parse(document.getElementById('sieve-report-data').textContent);
	const root = document.getElementById('report');
	const fmt = (n) => Number(n).toLocaleString('en-US');
	/** Draws each chart (again): on load, on a colour scheme change, on resize. */
	const charts = [];

	/** An element with attributes and children (strings become text nodes). */
	function el(tag, attrs, ...children) {
		const e = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs || {})) {
			if (v !== undefined && v !== null) e.setAttribute(k, String(v));
		}
		for (const c of children.flat(Infinity)) {
			if (c === null || c === undefined) continue;
			e.append(typeof c === 'string' || typeof c === 'number' ? String(c) : c);
		}
		return e;
	}

	function palette() {
		const css = getComputedStyle(document.documentElement);
		return VERDICTS.map((v) => css.getPropertyValue(`--${v}`).trim());
	}

	function countsText(row) {
		return VERDICTS.map((v) => `${fmt(row[v])} ${v}`).join(', ');
	}

	function rowTotal(row) {
		return VERDICTS.reduce((s, v) => s + row[v], 0);
	}

	/** [{key, verdict, count}] from rows of per-verdict counts. */
	function longForm(rows, key) {
		return rows.flatMap((r) => VERDICTS.map((v) => ({ key: r[key], verdict: v, count: r[v] })));
	}

	/** A data table: header cells, then one array of cells per row. */
	function table(caption, head, rows) {
		return el('table', {},
			el('caption', {}, caption),
			el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
			el('tbody', {}, rows.map((r) => el('tr', {},
				r.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, c) : el('td', {}, c)))))));
	}

	function verdictTable(caption, label, rows, key, show = (k) => k) {
		return table(caption, [label, ...VERDICTS, 'items'],
			rows.map((r) => [show(r[key]), ...VERDICTS.map((v) => fmt(r[v])), fmt(rowTotal(r))]));
	}

	/**
	 * A chart's figure: heading, the SVG (drawn again on theme or width changes), the text
	 * alternative as caption and a data table. `draw(width, colors)` returns the Plot SVG.
	 */
	function figure(id, title, description, draw, dataTable) {
		const holder = el('div', { class: 'chart' });
		const fig = el('figure', { id: `${id}-figure`, 'aria-labelledby': `${id}-title` },
			el('h3', { id: `${id}-title`, class: 'chart-title' }, title),
			holder,
			el('figcaption', { id: `${id}-desc` }, description),
			el('details', {}, el('summary', {}, `Data table: ${title}`), dataTable));
		const render = () => {
			const width = Math.max(320, Math.min(960, holder.clientWidth || 720));
			const svg = draw(width, palette());
			svg.setAttribute('aria-label', title);
			svg.setAttribute('aria-description', description);
			svg.setAttribute('aria-describedby', `${id}-desc`);
			svg.setAttribute('role', 'img');
			svg.dataset.chart = id;
			holder.replaceChildren(svg);
		};
		charts.push(render);
		return fig;
	}

	function colorScale(colors) {
		return { domain: VERDICTS, range: colors, legend: false };
	}

	function legend() {
		const colors = palette();
		return el('ul', { class: 'legend', 'aria-label': 'Verdict colours' },
			VERDICTS.map((v, i) => el('li', {},
				el('span', { class: `swatch swatch-${v}`, style: `background:${colors[i]}` }), v)));
	}

	const plotStyle = { background: 'transparent', fontSize: '12px', overflow: 'visible' };

	function topicsSection() {
		const rows = data.topics;
		const description = 'Items per topic and verdict; an item with several topics counts in ' +
			'each. ' + rows.map((r) => `${r.topic}: ${countsText(r)}.`).join(' ');
		const draw = (width, colors) => Plot.plot({
			width, marginLeft: Math.min(260, width * 0.4), height: 40 + 34 * rows.length,
			style: plotStyle, color: colorScale(colors),
			x: { label: 'items →', grid: true }, y: { label: null, domain: rows.map((r) => r.topic) },
			marks: [
				Plot.barX(longForm(rows, 'topic'), Plot.stackX({
					y: 'key', x: 'count', fill: 'verdict', order: VERDICTS, stroke: 'var(--bg)',
					title: (d) => `${d.key}: ${fmt(d.count)} ${d.verdict}`,
				})),
				Plot.ruleX([0]),
			],
		});
		return section('topics', 'Topics',
			figure('topics', 'Verdicts per topic', description, draw,
				verdictTable('Items per topic and verdict', 'topic', rows, 'topic')));
	}

	function scoresSection() {
		const rows = data.scores;
		const description = 'Items per score (1 unrelated … 10 squarely on a topic) and verdict. ' +
			rows.map((r) => `Score ${r.score}: ${countsText(r)}.`).join(' ');
		const draw = (width, colors) => Plot.plot({
			width, height: 300, style: plotStyle, color: colorScale(colors),
			x: { label: 'score', domain: rows.map((r) => r.score) }, y: { label: '↑ items', grid: true },
			marks: [
				Plot.barY(longForm(rows, 'score'), Plot.stackY({
					x: 'key', y: 'count', fill: 'verdict', order: VERDICTS, stroke: 'var(--bg)',
					title: (d) => `score ${d.key}: ${fmt(d.count)} ${d.verdict}`,
				})),
				Plot.ruleY([0]),
			],
		});
		return section('scores', 'Scores',
			figure('scores', 'Score distribution', description, draw,
				verdictTable('Items per score and verdict', 'score', rows, 'score')));
	}

	function monthsDescription(rows, undated) {
		const sum = Object.fromEntries(VERDICTS.map((v) => [v, rows.reduce((s, r) => s + r[v], 0)]));
		const busiest = rows.reduce((b, r) => (rowTotal(r) > rowTotal(b) ? r : b), rows[0]);
		const list = rows.length <= 24 ?
			' ' + rows.map((r) => `${r.month}: ${countsText(r)}.`).join(' ') : '';
		return `Items added per month, by verdict, from ${rows[0].month} to ` +
			`${rows[rows.length - 1].month} (${rows.length} months); the busiest month is ` +
			`${busiest.month} with ${fmt(rowTotal(busiest))} items. In all: ${countsText(sum)}.` +
			` ${fmt(undated)} items without a date added.${list}`;
	}

	function monthsSection() {
		const { rows, undated } = data.months;
		if (!rows.length) {
			return section('months', 'Over time',
				el('p', { class: 'placeholder', id: 'months-placeholder' },
					`No item has a date added (${fmt(undated)} items), so there is no time series.`));
		}
		const description = monthsDescription(rows, undated);
		const when = (m) => new Date(`${m}-01T00:00:00Z`);
		const draw = (width, colors) => Plot.plot({
			width, height: 300, style: plotStyle, color: colorScale(colors),
			x: { label: null, type: 'utc' }, y: { label: '↑ items', grid: true },
			marks: [
				Plot.rectY(longForm(rows, 'month'), {
					x: (d) => when(d.key), interval: d3.utcMonth, y: 'count', fill: 'verdict',
					order: VERDICTS, stroke: 'var(--bg)', insetLeft: 0.5, insetRight: 0.5,
					title: (d) => `${d.key}: ${fmt(d.count)} ${d.verdict}`,
				}),
				Plot.ruleY([0]),
			],
		});
		return section('months', 'Over time',
			figure('months', 'Items added per month', description, draw,
				verdictTable('Items added per month and verdict', 'month', rows, 'month')));
	}

	function fieldsSection() {
		const f = data.fields;
		const total = data.totals.application;
		if (!f.named) {
			return section('fields', 'Application fields',
				el('p', { class: 'placeholder', id: 'fields-placeholder' },
					`Fields are not yet named: the judgments of these ${fmt(total)} application ` +
					'items do not say which field each applies ML to. This chart appears once ' +
					'the notes name the field.'));
		}
		const rows = f.rows.concat(f.other ? [{ field: 'other fields', items: f.other }] : []);
		const description = `Application items per field they apply ML to (${fmt(total)} ` +
			`application items, ${fmt(f.unnamed)} without a field named). ` +
			rows.map((r) => `${r.field}: ${fmt(r.items)}.`).join(' ');
		const draw = (width, colors) => Plot.plot({
			width, marginLeft: Math.min(260, width * 0.4), height: 40 + 26 * rows.length,
			style: plotStyle, x: { label: 'application items →', grid: true },
			y: { label: null, domain: rows.map((r) => r.field) },
			marks: [
				Plot.barX(rows, { y: 'field', x: 'items', fill: colors[1], title: (d) => `${d.field}: ${fmt(d.items)}` }),
				Plot.ruleX([0]),
			],
		});
		return section('fields', 'Application fields',
			figure('fields', 'Application items per field', description, draw,
				table('Application items per field', ['field', 'items'],
					rows.map((r) => [r.field, fmt(r.items)]))));
	}

	function readingItem(it) {
		const title = /^zotero:\/\/select\//.test(it.link) ?
			el('a', { href: it.link, title: 'Select this item in Zotero' }, it.title) :
			el('span', {}, it.title);
		return el('li', {},
			el('div', { class: 'item-title' }, title),
			el('div', { class: 'item-meta' },
				`score ${it.score} · confidence ${Math.round(it.confidence * 100)} %` +
				(it.date_added ? ` · added ${it.date_added.slice(0, 10)}` : '')),
			el('p', { class: 'reason', title: it.reason || null }, it.reason || '(the note gives no reason line)'));
	}

	const SHOWN = 10; // items of a topic shown at once; the rest behind "more"

	function readingList(r, i) {
		const head = r.items.slice(0, SHOWN).map(readingItem);
		const rest = r.items.slice(SHOWN);
		const more = rest.length ? el('details', { class: 'more' },
			el('summary', {}, `${rest.length} more`), el('ol', { start: SHOWN + 1 }, rest.map(readingItem))) : null;
		const count = r.unread === 0 ? `${fmt(r.relevant)} relevant, all opened or read.` :
			`${fmt(r.unread)} of ${fmt(r.relevant)} relevant items not yet read` +
			(r.unread > r.items.length ? `; the best ${r.items.length}:` : ':');
		return el('section', { class: 'topic-list', id: `reading-${i}` },
			el('h3', {}, r.topic), el('p', { class: 'count' }, count),
			head.length ? el('ol', {}, head) : null, more);
	}

	function readingSection() {
		const m = data.meta;
		const intro = m.reading_known ?
			'The relevant items of each topic that have not been opened in Zotero\'s reader ' +
			'and carry no “read” tag, best score first' :
			'The relevant items of each topic that carry no “read” tag, best score first (this ' +
			'source does not say which items were opened)';
		const lists = data.reading.filter((r) => r.relevant > 0);
		const empty = data.reading.filter((r) => r.relevant === 0).map((r) => r.topic);
		return section('reading', 'What to read next',
			el('p', {}, `${intro}; at most ${m.list_limit} per topic.`),
			lists.map(readingList),
			empty.length ? el('p', { class: 'count', id: 'reading-none' },
				`No relevant items in: ${empty.join(', ')}.`) : null);
	}

	function aboutSection() {
		const m = data.meta;
		const j = data.judged;
		const judged = j.first ? `${j.first.replace('T', ' ')} to ${j.last.replace('T', ' ')}` +
			(j.unknown ? ` (${fmt(j.unknown)} without a date)` : '') : 'not recorded';
		const dl = el('dl', {}, [
			['Source', m.source],
			['Criteria version', `${m.criteria_version} (topics: ${m.criteria_topics.join(', ')})`],
			['Model version', m.model_version],
			['Judges', data.judges.map((r) => `${r.judge}: ${fmt(r.items)} items`).join('; ')],
			['Judgments made', judged],
			['Judgments', `${fmt(m.from_cache)} from the state store, ${fmt(m.judged_now)} made ` +
				'for this report'],
			['Report made', `${m.generated_at.replace('T', ' ')} by sieve ${m.sieve_version}`],
		].map(([term, text]) => [el('dt', {}, term), el('dd', {}, text)]));
		return section('about', 'Criteria, model and dates of the judgments', dl);
	}

	function section(id, title, ...content) {
		return el('section', { id, 'aria-labelledby': `${id}-h` }, el('h2', { id: `${id}-h` }, title), content);
	}

	function header() {
		const t = data.totals;
		return el('header', {},
			el('h1', {}, `Sieve report — ${data.meta.title}`),
			el('p', { class: 'lede', id: 'totals' },
				`${fmt(t.items)} items: ${fmt(t.relevant)} relevant, ${fmt(t.application)} application, ` +
				`${fmt(t.irrelevant)} irrelevant.`),
			legend());
	}

	function build() {
		root.replaceChildren(header(), topicsSection(), scoresSection(), monthsSection(),
			fieldsSection(), readingSection(), aboutSection());
		for (const render of charts) render();
		root.setAttribute('aria-busy', 'false');
		// milliseconds from the start of navigation to the charts drawn (read by the page test)
		document.documentElement.dataset.readyMs = String(Math.round(performance.now()));
		document.documentElement.dataset.rendered = 'true';
	}

	build();
	window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
		for (const render of charts) render();
		for (const [i, s] of document.querySelectorAll('.legend .swatch').entries()) {
			s.style.background = palette()[i];
		}
	});
	let resizeTimer = 0;
	window.addEventListener('resize', () => {
		clearTimeout(resizeTimer);
		resizeTimer = setTimeout(() => { for (const render of charts) render(); }, 150);
	});
})();
