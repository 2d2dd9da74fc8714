// Accessibility, measured: axe-core on every page of the site (the landing page, every
// chapter, the reference, the gl API page, the embed page), in both languages (and in the dark colour scheme, the Korean pages), after
// a cell of each page has run (console and plots filled); then what axe cannot see: the
// charts' text alternatives, the knobs' names, the Share/Embed box and the keyboard, and the
// editor's colours on every background a line of code can have.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { startLab, newPage, waitForRunEnd } from './browser.mjs';

// Injected as source through the test driver: the site's Content-Security-Policy refuses
// inline scripts, so page.addScriptTag() cannot add it, and the policy stays as it is.
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LANGS = ['ko', 'en'];
const SCHEMES = ['light', 'dark'];
const FAILING = new Set(['serious', 'critical']);

let lab;
before(async () => {
  lab = await startLab();
});
after(async () => {
  await lab?.close();
});

/**
 * Waits for the first cell of the page, runs it and returns its id (or null). With `stopAfterMs`,
 * a run still going then is stopped once it has shown output (a console line or a plot): what
 * axe reads is the cell with its output, not the end of a long training.
 */
async function runFirstCell(page, { stopAfterMs = null } = {}) {
  const id = await page.evaluate(() => Object.keys(window.gradlab.cells)[0] ?? null);
  if (id === null) return null;
  const sel = `#cell-${id}`;
  await page.waitForSelector(`${sel}[data-engine="ready"]`, { timeout: 60_000 });
  await page.click(`${sel} [data-action="run"]`);
  let ended = null;
  if (stopAfterMs !== null) {
    ended = await waitForRunEnd(page, 1, stopAfterMs, sel).catch(() => null);
    if (ended === null) {
      await page.waitForFunction((s) => document.querySelector(`${s} .console`).childElementCount > 0 || document.querySelector(`${s} .plots .plot`), sel, { timeout: 120_000 });
      // Stop, unless the run ended on its own since: a cell of about the wait's length can end
      // between the two (Stop is then disabled, and a click on it waited 30 s and failed). Checked
      // and clicked in one step in the page.
      await page.evaluate((s) => {
        const stop = document.querySelector(`${s} [data-action="stop"]`);
        if (!stop.disabled) stop.click();
      }, sel);
      ended = await waitForRunEnd(page, 1, 10_000, sel); // 'stopped', or 'done' if it ended first
    }
  }
  ended ??= await waitForRunEnd(page, 1, 120_000, sel);
  assert.match(ended, stopAfterMs === null ? /^done$/ : /^(done|stopped)$/, `${page.url()}: cell ${id} runs`);
  if (ended === 'done') await page.waitForFunction((s) => document.querySelector(s).childElementCount > 0, `${sel} .console`);
  return id;
}

// The schemes differ only in colours (lab.css overrides its colour variables and nothing else
// in the dark scheme), so the second scheme is checked with the rules about colour alone:
// all of axe on a long chapter takes seconds.
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

// The lines of code in the editors are left to the editor's own test below, which checks every
// syntax colour against every background a line can have in both schemes (axe sees only the
// backgrounds of the moment). They are a third of a chapter's elements, and of axe's time.
const CODE_LINES = ['.cm-line'];

/** Switches the colour scheme, waits until the page has drawn in it, and runs axe (`rules`: all by default). */
async function axeIn(page, scheme, rules = null) {
  await page.emulateMedia({ colorScheme: scheme });
  const dark = await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(matchMedia('(prefers-color-scheme: dark)').matches)))),
  );
  assert.equal(dark, scheme === 'dark', `the page is in its ${scheme} scheme`);
  // Buttons fade to their new colours: measure them when they are there.
  await page.waitForFunction(() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'));
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  return page.evaluate(async ([runOnly, exclude]) => {
    const result = await window.axe.run({ exclude }, { resultTypes: ['violations'], ...(runOnly && { runOnly }) });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary.replace(/\s+/g, ' ').trim() })),
    }));
  }, [rules, CODE_LINES]);
}

test('axe finds no serious or critical violation on any page, in both languages (the dark colour scheme on the Korean pages), with a cell run', async (t) => {
  // The pages, as the site lists them: the landing page, every chapter in its sidebar, the
  // reference, and the embed page (of the last chapter's first cell). One tab per language,
  // side by side; the site's pages are visited as a reader does, by its links (the hash).
  const checkLanguage = async (lang) => {
    const failures = [];
    const counts = [];
    const pages = [{ name: 'landing', hash: '' }];
    const site = await newPage(lab, { colorScheme: SCHEMES[0] });
    await site.page.goto(`${lab.url}#lang=${lang}`);
    for (let i = 0; i < pages.length; i++) {
      const p = pages[i];
      let opened = site;
      if (p.embed) {
        opened = await newPage(lab, { colorScheme: SCHEMES[0] });
        await opened.page.goto(`${lab.url}embed.html#lang=${lang}&chapter=${p.chapter}`);
        await opened.page.waitForSelector('.cell');
      } else if (p.name === 'api') {
        // The gl API page has no cell: its tables are what it shows.
        await site.page.evaluate((hash) => (location.hash = hash), `#lang=${lang}${p.hash}`);
        await site.page.waitForFunction(() => document.querySelectorAll('#chapter table').length > 3 && !document.querySelector('#chapter .cell'));
      } else if (p.hash) {
        await site.page.evaluate((hash) => (location.hash = hash), `#lang=${lang}${p.hash}`);
        // The chapter is shown and its cells are the page's.
        await site.page.waitForFunction((slug) => {
          const id = Object.keys(window.gradlab.cells)[0];
          const here = document.querySelector(`#chapter-list a[aria-current="page"], #nav-reference[aria-current="page"]`);
          return id && document.getElementById(`cell-${id}`) && (here?.dataset.chapter ?? 'reference') === slug;
        }, p.name);
      } else {
        await site.page.waitForSelector('#chapter .chapter-cards');
      }
      const { page, pageErrors } = opened;
      if (p.name === 'landing') {
        const chapters = await page.$$eval('#chapter-list a', (as) => as.map((a) => a.dataset.chapter));
        assert.ok(chapters.length >= 3, `${lang}: chapters listed: ${chapters}`);
        pages.push(...[...chapters, 'reference', 'api'].map((slug) => ({ name: slug, hash: `&chapter=${slug}` })), { name: 'embed', embed: true, chapter: chapters.at(-1) });
      }
      const cell = await runFirstCell(page, { stopAfterMs: 3000 });
      if (cell && (await page.getAttribute(`#cell-${cell}`, 'data-run')) === 'stopped') counts.push(`${lang}/${p.name}: cell ${cell} stopped after its first output (3 s)`);
      if (p.name !== 'landing' && p.name !== 'api') assert.ok(cell, `${lang}/${p.name} has a cell to run`);
      // The dark scheme's colours are the same CSS in both languages: checked on the Korean pages.
      for (const scheme of lang === 'ko' ? SCHEMES : [SCHEMES[0]]) {
        const where = `${lang}/${p.name}/${scheme}`;
        const violations = await axeIn(page, scheme, scheme === SCHEMES[0] ? null : COLOUR_RULES);
        counts.push(`${where}: ${violations.map((v) => `${v.rule} (${v.impact}) ×${v.nodes.length}`).join(', ') || 'none'}`);
        for (const v of violations.filter((x) => FAILING.has(x.impact))) {
          for (const n of v.nodes) failures.push(`${where}: ${v.rule} (${v.impact}) at ${n.target}: ${n.summary}`);
        }
      }
      assert.deepEqual(pageErrors.map(String), [], `${lang}/${p.name}: no page errors`);
      if (p.embed) await page.close();
    }
    await site.page.close();
    return { failures, counts };
  };
  // Both tabs finish (or fail) before the test reports, so that a failure in one is not
  // followed by the other's noise as the browser closes.
  const settled = await Promise.allSettled(LANGS.map(checkLanguage));
  const broken = settled.find((r) => r.status === 'rejected');
  if (broken) throw broken.reason;
  const results = settled.map((r) => r.value);
  const failures = results.flatMap((r) => r.failures);
  const counts = results.flatMap((r) => r.counts);
  t.diagnostic(`axe, every violation by page:\n  ${counts.join('\n  ')}`);
  assert.equal(failures.length, 0, `${failures.length} serious or critical violations:\n  ${failures.slice(0, 60).join('\n  ')}`);
});

test('charts have text alternatives, knobs and buttons are named by what they show, the editor takes the focus, Share and Embed give it back', async () => {
  // The reference's example draws a heatmap and a histogram; the vanishing-gradients chapter's
  // first cell draws line charts.
  for (const [lang, hash] of [['ko', '#lang=ko&chapter=reference'], ['en', '#lang=en&chapter=vanishing-gradients']]) {
    const { page } = await newPage(lab);
    await page.goto(lab.url + hash);
    await page.waitForSelector('#chapter .cell');
    const id = await runFirstCell(page);
    const cell = `#cell-${id}`;
    await page.waitForSelector(`${cell} .plot canvas`);

    // Every chart's canvas is an image whose text names the chart and each of its series.
    const charts = await page.$$eval(`${cell} .plot`, (figures) => figures.map((f) => {
      const canvas = f.querySelector('canvas');
      const series = JSON.parse(f.dataset.series);
      return {
        kind: f.dataset.kind,
        title: f.querySelector('.plot-title').textContent,
        named: f.getAttribute('aria-labelledby') && document.getElementById(f.getAttribute('aria-labelledby'))?.textContent,
        role: canvas.getAttribute('role'),
        alt: canvas.getAttribute('aria-label') ?? '',
        series: f.dataset.kind === 'heatmap' ? [] : Object.keys(series).filter((name) => name !== ''),
      };
    }));
    assert.ok(charts.length >= 1, `${lang}: charts drawn`);
    for (const c of charts) {
      assert.equal(c.named, c.title, `${lang}: the figure is named by its caption`);
      assert.equal(c.role, 'img', `${lang}: "${c.title}" canvas is an image`);
      assert.ok(c.alt.includes(c.title), `${lang}: "${c.title}" text alternative names the chart: ${c.alt}`);
      for (const s of c.series) assert.ok(c.alt.includes(`${s}:`), `${lang}: "${c.title}" text alternative tells series ${s}: ${c.alt}`);
      assert.match(c.alt, /\d/, `${lang}: "${c.title}" text alternative gives numbers`);
    }
    if (lang === 'ko') assert.ok(charts.every((c) => /[가-힣]/.test(c.alt.replace(c.title, ''))), 'the Korean page describes charts in Korean');

    // Names a screen reader reads: the knobs' labels alone, the buttons' visible words.
    const snapshot = await page.locator(cell).ariaSnapshot();
    const seedWord = lang === 'ko' ? '시드' : 'seed';
    assert.match(snapshot, new RegExp(`spinbutton "${seedWord}"`), `${lang}: the seed field is named "${seedWord}" alone:\n${snapshot}`);
    const knobs = await page.$$eval(`${cell} .knob-list [data-knob]`, (els) => els.map((e) => e.dataset.knob));
    for (const knob of knobs) {
      const role = await page.$eval(`${cell} [data-knob="${knob}"]`, (e) => (e.tagName === 'SELECT' ? 'combobox' : { range: 'slider', number: 'spinbutton', checkbox: 'checkbox', text: 'textbox' }[e.type]));
      assert.equal(await page.locator(cell).getByRole(role, { name: knob, exact: true }).count(), 1, `${lang}: knob ${knob} is a ${role} named "${knob}"`);
    }
    const run = await page.$eval(`${cell} [data-action="run"]`, (b) => ({ keys: b.getAttribute('aria-keyshortcuts'), label: b.getAttribute('aria-label') }));
    assert.equal(run.label, null, `${lang}: Run is named by what it shows`);
    assert.match(run.keys, /(Control|Meta)\+Enter/, `${lang}: Run says its shortcut`);

    // The editor's scroller is reached through its content, which is in the tab order: Tab
    // from the control before it lands in the code.
    const editor = await page.$eval(`${cell} .cm-scroller`, (s) => ({ tabIndex: s.querySelector('.cm-content').tabIndex, editable: s.querySelector('.cm-content').isContentEditable }));
    assert.deepEqual(editor, { tabIndex: 0, editable: true }, `${lang}: the editor's content takes the focus`);
    await page.focus(`${cell} [data-action="new-seed"]`);
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate((sel) => document.activeElement === document.querySelector(`${sel} .cm-content`), cell), `${lang}: Tab reaches the code`);

    // Share and Embed: the box takes the focus, Escape puts it away, the focus goes back to the
    // button that opened it.
    // Share opens an inline box, Embed a modal dialog (showModal: the focus stays inside it).
    for (const [action, box] of [['share', '.share-box'], ['embed', 'dialog.embed-dialog']]) {
      await page.focus(`${cell} [data-action="${action}"]`);
      await page.keyboard.press('Enter');
      const shown = (b) => (b.tagName === 'DIALOG' ? b.open : !b.hidden);
      await page.waitForFunction(([sel, boxSel]) => {
        const b = document.querySelector(`${sel} ${boxSel}`);
        return b && (b.tagName === 'DIALOG' ? b.open : !b.hidden) && b.contains(document.activeElement);
      }, [cell, box]);
      const boxName = await page.$eval(`${cell} ${box}`, (b) => document.getElementById(b.getAttribute('aria-labelledby'))?.textContent);
      assert.ok(boxName, `${lang}: the ${action} box is named`);
      await page.keyboard.press('Escape');
      await page.waitForFunction(([sel, boxSel]) => {
        const b = document.querySelector(`${sel} ${boxSel}`);
        return b.tagName === 'DIALOG' ? !b.open : b.hidden;
      }, [cell, box], { timeout: 5000 }).catch(() => {});
      assert.equal(await page.$eval(`${cell} ${box}`, shown), false, `${lang}: Escape closes the ${action} box`);
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), action, `${lang}: the focus is back on ${action}`);
    }
    await page.close();
  }
});

test('the code editor: every syntax colour keeps 4.5:1 on every background a line can have, in both schemes', async () => {
  // axe sees only the tokens and lines on screen (an error line is rarely there): the
  // colours themselves are measured, as the browser resolves lab.css.
  const { page } = await newPage(lab);
  await page.goto(`${lab.url}#lang=en`);
  await page.waitForSelector('#chapter .chapter-cards');
  const low = [];
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    // Colours as the browser resolves them (the variables of lab.css), each background as
    // drawn: the editor's own, the active line's and the error line's tint over it.
    const measured = await page.evaluate(() => {
      const probe = document.createElement('div');
      document.body.append(probe);
      const rgba = (value) => {
        probe.style.color = value;
        const [r, g, b, a = 1] = getComputedStyle(probe).color.match(/[\d.]+/g).map(Number);
        return [r, g, b, a];
      };
      const over = ([r, g, b, a], [R, G, B]) => [r * a + R * (1 - a), g * a + G * (1 - a), b * a + B * (1 - a), 1];
      const root = getComputedStyle(document.documentElement);
      const names = [...root].filter((n) => n.startsWith('--syn-')).concat('--code-fg');
      const code = rgba('var(--code-bg)');
      const backgrounds = { editor: code, 'active line': over(rgba('var(--code-active-line)'), code), 'error line': over(rgba('var(--danger-bg)'), code) };
      const colours = Object.fromEntries(names.map((n) => [n, rgba(`var(${n})`)]));
      probe.remove();
      return { names, colours, backgrounds };
    });
    assert.ok(measured.names.length >= 8, `${scheme}: syntax colours found: ${measured.names}`);
    for (const name of measured.names) {
      for (const [where, bg] of Object.entries(measured.backgrounds)) {
        const ratio = contrast(measured.colours[name], bg);
        if (ratio < 4.5) low.push(`${scheme}: ${name} on the ${where}: ${ratio.toFixed(2)}:1`);
      }
    }
  }
  assert.deepEqual(low, [], 'syntax colours below 4.5:1');
  await page.close();
});

function contrast(a, b) {
  const luminance = ([r, g, b2]) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b2);
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
