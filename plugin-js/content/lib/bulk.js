// Bulk retag: start a job (POST /v1/jobs), page its plan entries as they arrive
// (GET /v1/jobs/{id}/plan?cursor=), apply each page, report progress, cancel on request
// (DELETE /v1/jobs/{id}). Contract: pages are applied in order, each in transactions of at most
// 100 items, so a cancel or a crash leaves every item either fully changed or untouched. Entries
// whose note would be replaced are planned again inline first (the job planned them from the
// database snapshot, whose note HTML the extension cannot check). Applying a page twice changes
// nothing. run() resolves with the summary once the job is complete or cancelled.
'use strict';

const { applyPlans, newSummary, mergeSummary } = require('./apply.js');
const { toInlineItem } = require('./items.js');
const { planEntries, newReport } = require('./classify.js');

class BulkRunner {
	/**
	 * @param {object} ctx
	 * @param {typeof Zotero} ctx.Zotero
	 * @param {import('./client.js').SieveClient} ctx.client
	 * @param {Omit<import('./apply.js').ApplyOptions, 'Zotero'>} ctx.apply
	 * @param {(p: { status: any, applied: import('./apply.js').ApplySummary }) => void} [ctx.onProgress]
	 * @param {(ms: number) => Promise<void>} [ctx.sleep]
	 * @param {number} [ctx.pollMs]
	 * @param {number} [ctx.pageSize]
	 */
	constructor(ctx) {
		this.ctx = ctx;
		this.sleep = ctx.sleep || (ms => new Promise(r => setTimeout(r, ms)));
		this.pollMs = ctx.pollMs ?? 500;
		this.pageSize = ctx.pageSize || 200;
		this.cancelled = false;
		this.completed = false;

		/** @type {string | null} */
		this.jobID = null;
		this.applied = newSummary();

		/** @type {any} */
		this.status = null;
	}

	/**
	 * Starts a job, or follows the one already running (409 job_running: e.g. a job that
	 * survived a restart of Zotero or of the helper).
	 * @param {any} scope - the POST /v1/jobs request
	 */
	async run(scope) {
		try {
			this.status = await this.ctx.client.startJob(scope);
		}
		catch (e) {
			if (!e || e.code !== 'job_running') throw e;
			const { jobs } = await this.ctx.client.listJobs();
			const running = (jobs || []).find((/** @type {any} */ j) => j.state === 'running');
			if (!running) throw e;
			return this.resume(String(running.id));
		}
		this.jobID = String(this.status.id);
		if (this.cancelled) this.status = await this.ctx.client.cancelJob(this.jobID);
		return this.follow();
	}

	/** Follows a job already started (e.g. one that survived a restart). @param {string} id */
	async resume(id) {
		this.jobID = id;
		this.status = await this.ctx.client.job(id);
		return this.follow();
	}

	async cancel() {
		this.cancelled = true;
		if (this.jobID) this.status = await this.ctx.client.cancelJob(this.jobID);
	}

	async follow() {
		let cursor = '0';
		while (!this.cancelled) {
			const page = await this.ctx.client.jobPlan(/** @type {string} */ (this.jobID), cursor, this.pageSize);
			if (this.cancelled) break;
			await this.applyPage(page.entries);
			cursor = page.next_cursor || cursor;
			if (page.complete) {
				this.completed = true;
				break;
			}
			this.status = await this.ctx.client.job(/** @type {string} */ (this.jobID));
			this.ctx.onProgress?.({ status: this.status, applied: this.applied });
			if (!page.entries.length) await this.sleep(this.pollMs);
		}
		this.status = await this.ctx.client.job(/** @type {string} */ (this.jobID));
		this.ctx.onProgress?.({ status: this.status, applied: this.applied });
		return this.summary();
	}

	/** @param {any[]} entries */
	async applyPage(entries) {
		const direct = entries.filter(e => !(e.plan && e.plan.note && e.plan.note.action === 'replace'));
		const replan = entries.filter(e => !direct.includes(e));
		const opts = { ...this.ctx.apply, Zotero: this.ctx.Zotero };
		mergeSummary(this.applied, await applyPlans(direct.map(e => ({
			libraryID: e.libraryID, key: e.key, plan: e.plan,
		})), opts));
		if (replan.length) mergeSummary(this.applied, await this.replanAndApply(replan, opts));
	}

	/**
	 * @param {any[]} entries
	 * @param {import('./apply.js').ApplyOptions} opts
	 */
	async replanAndApply(entries, opts) {
		const { Zotero, client } = this.ctx;
		const inline = [];
		for (const e of entries) {
			const item = await Zotero.Items.getByLibraryAndKeyAsync(e.libraryID, e.key);
			if (item && !item.deleted) inline.push(await toInlineItem(Zotero, item));
		}
		if (!inline.length) return newSummary();
		const answer = await client.classify(inline);
		const fresh = planEntries(inline, answer.results, newReport());
		return applyPlans(fresh, opts);
	}

	summary() {
		const s = this.status || {};
		// cancelled before every page was applied: cancelled for the user, even if the helper
		// had finished judging (a cancel of a finished job changes nothing there)
		const cancelled = s.state === 'cancelled' || (this.cancelled && !this.completed && s.state !== 'failed');
		return {
			jobID: this.jobID,
			state: cancelled ? 'cancelled' : s.state,
			cancelled,
			total: s.total, done: s.done,
			verdicts: s.counts || {}, topics: s.topics || {},
			itemsChanged: this.applied.changed,
			userEdited: this.applied.userEdited,
			conflicts: this.applied.conflicts,
			errors: (s.errors || 0) + this.applied.errors.length,
			error: s.error || null,
			applied: this.applied,
		};
	}
}

module.exports = { BulkRunner };
