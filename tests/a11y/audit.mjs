// Lighthouse (mobile, its default) scores and axe-core violations of pages already served on 127.0.0.1.
//
//   node tests/a11y/audit.mjs --chromium /usr/bin/chromium --base http://127.0.0.1:8000/ [--runs 1] [--no-lighthouse] PAGE...
//
// PAGE is a path relative to --base ("" or "/" is the home page). Prints one JSON object on stdout:
// {"lighthouse": "12.2.3", "axe": "4.14.1", "pages": [{"page", "url", "scores": {category: 0..100},
//  "failing": {category: [{id, title, score, display}]}, "axe": {"phone"|"desktop": [violation…]}}]}.
// Chromium runs headless in a fresh profile with every background request off: the machine may
// have no network, and nothing but 127.0.0.1 is ever asked for.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const VIEWPORTS = { phone: { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
                    desktop: { width: 1280, height: 900, isMobile: false, hasTouch: false, deviceScaleFactor: 1 } };
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
               '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--lang=vi'];

const { values: opts, positionals: pages } = parseArgs({
  allowPositionals: true,
  options: {
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    base: { type: 'string' },
    runs: { type: 'string', default: '1' },
    'no-lighthouse': { type: 'boolean', default: false },
  },
});
if (!opts.base) throw new Error('--base URL is required');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

// Every audit that costs a category points: id, title, score, and what Lighthouse shows for it.
function failing(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0 || category === 'performance')
    .map((ref) => lhr.audits[ref.id])
    .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual')
    .map((a) => ({ id: a.id, title: a.title, score: a.score, display: a.displayValue || '' }));
}

async function lighthouseRuns(url, port, runs) {
  const results = [];
  for (let i = 0; i < runs; i += 1) {
    const { lhr } = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES });
    if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    results.push(lhr);
  }
  // The run with the median performance score stands for the page (performance varies between runs).
  const perf = median(results.map((r) => r.categories.performance.score));
  const lhr = results.find((r) => r.categories.performance.score === perf);
  return {
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(lhr.categories[c].score * 100)])),
    failing: Object.fromEntries(CATEGORIES.map((c) => [c, failing(lhr, c)])),
    performanceRuns: results.map((r) => Math.round(r.categories.performance.score * 100)),
  };
}

async function axeViolations(browser, url) {
  const out = {};
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    const page = await browser.newPage();
    try {
      await page.setViewport(viewport);
      await page.goto(url, { waitUntil: 'networkidle0', timeout: 60000 });
      // Long blocks are laid out only near the screen (content-visibility): render them all, or axe
      // cannot measure their contrast.
      await page.addStyleTag({ content: '.md-typeset * { content-visibility: visible !important; }' });
      await page.evaluate(AXE_SOURCE);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      out[name] = result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 200) })),
      }));
    } finally {
      await page.close();
    }
  }
  return out;
}

const profile = mkdtempSync(join(tmpdir(), 'planpub-lighthouse-'));
const chrome = await chromeLauncher.launch({
  chromePath: opts.chromium, chromeFlags: FLAGS, userDataDir: profile, logLevel: 'silent',
});
const report = { lighthouse: require('lighthouse/package.json').version, axe: require('axe-core/package.json').version, pages: [] };
try {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
  for (const path of pages) {
    const url = new URL(path.replace(/^\//, ''), opts.base).href;
    const entry = { page: path, url };
    if (!opts['no-lighthouse']) Object.assign(entry, await lighthouseRuns(url, chrome.port, Number(opts.runs)));
    entry.axe = await axeViolations(browser, url);
    report.pages.push(entry);
    process.stderr.write(`audited ${url}\n`);
  }
  await browser.disconnect();
} finally {
  await chrome.kill();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(report) + '\n');
