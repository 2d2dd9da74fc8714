// One experiment cell: the controller that ties the editor, the knobs, the
// Run/Stop buttons and the status, progress, console and plot views to a
// Runner, and keeps the reader's edits (localStorage) and shareable state.
// It holds no engine or worker code (runner/), no drawing code (the views)
// and no URL format (state/).
import { createEditor } from './editor.js';
import { ConsoleView } from './console-view.js';
import { PlotView } from './plot-view.js';
import { KnobsView } from './knobs-view.js';
import { ProgressView } from './progress-view.js';
import { StatusView } from './status-view.js';
import { formatExperimentError } from '../runner/format.js';
import { localizeError } from '../api/error-catalog.js';
import { knobValue, parseKnobs } from '../runner/knobs.js';
import { parsePythonKnobs } from '../runner/python-knobs.js';
import { forgetCell, loadCodeLanguage, saveCell, saveCodeLanguage } from '../state/cell-store.js';
import { createEmbedDialog } from './embed-dialog.js';
import { DOWNLOAD_LIMITS, formatBytes } from '../runner/downloads.js';

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgentData?.platform ?? navigator.platform ?? '');
const RUN_KEY = isMac ? '⌘ Enter' : 'Ctrl+Enter';

const KNOB_DEBOUNCE_MS = 250;
const SAVE_DEBOUNCE_MS = 400;

// The languages a cell's code may be in: JavaScript (gl) and Python (torch).
export const CODE_LANGUAGES = ['js', 'python'];
const knobsIn = (language, code) => (language === 'python' ? parsePythonKnobs(code) : parseKnobs(code));

const ICON_RUN = '<svg class="button-icon" viewBox="0 0 12 12" aria-hidden="true"><path d="M2.5 1.2v9.6L10.5 6z" fill="currentColor"/></svg>';
const ICON_STOP = '<svg class="button-icon" viewBox="0 0 12 12" aria-hidden="true"><rect x="2" y="2" width="8" height="8" rx="1" fill="currentColor"/></svg>';
const ICON_SHARE = '<svg class="button-icon" viewBox="0 0 12 12" aria-hidden="true"><path d="M5 7l2.5-2.5M4.2 5.3 3 6.5a1.8 1.8 0 0 0 2.5 2.5l1.2-1.2M7.8 6.7 9 5.5A1.8 1.8 0 0 0 6.5 3L5.3 4.2" fill="none" stroke="currentColor" stroke-width="1.3"/></svg>';
const ICON_EMBED = '<svg class="button-icon" viewBox="0 0 12 12" aria-hidden="true"><path d="M4 3 1.5 6 4 9M8 3l2.5 3L8 9" fill="none" stroke="currentColor" stroke-width="1.3"/></svg>';
const ICON_RESET = '<svg class="button-icon" viewBox="0 0 12 12" aria-hidden="true"><path d="M2.5 5.5a3.6 3.6 0 1 1 1 3M2.5 2.5v3h3" fill="none" stroke="currentColor" stroke-width="1.3"/></svg>';

// Buttons are named by their visible words (WCAG 2.5.3): a longer explanation is their title
// (the accessible description), and a keyboard shortcut is aria-keyshortcuts, not part of the name.
function cellMarkup(id, title, t, level) {
  const root = document.createElement('section');
  root.className = 'cell';
  root.id = `cell-${id}`;
  root.setAttribute('aria-labelledby', `cell-${id}-title`);
  root.innerHTML = `
    <header class="cell-header">
      <h${level} class="cell-title" id="cell-${id}-title"></h${level}>
      <span class="cell-badge" data-role="edited" hidden></span>
      <div class="language-switch" role="group" aria-label="${t.codeLanguage}" hidden>
        ${CODE_LANGUAGES.map((l) => `<button type="button" class="button button-small" data-language="${l}" aria-pressed="false" title="${t.languageTitle[l]}">${t.languageNames[l]}</button>`).join('')}
      </div>
    </header>
    <div class="cell-toolbar">
      <button type="button" class="button button-primary" data-action="run"
        aria-keyshortcuts="${isMac ? 'Meta+Enter' : 'Control+Enter'}">${ICON_RUN}${t.run} <kbd aria-hidden="true">${RUN_KEY}</kbd></button>
      <button type="button" class="button" data-action="stop" aria-keyshortcuts="Escape"
        disabled>${ICON_STOP}${t.stop} <kbd aria-hidden="true">Esc</kbd></button>
      <p class="status" role="status" aria-live="polite"></p>
      <div class="cell-actions">
        <button type="button" class="button button-quiet" data-action="share" title="${t.shareLabel}">${ICON_SHARE}<span>${t.share}</span></button>
        <button type="button" class="button button-quiet" data-action="embed" title="${t.embedLabel}">${ICON_EMBED}<span>${t.embed}</span></button>
        <button type="button" class="button button-quiet" data-action="reset" title="${t.resetLabel}" disabled>${ICON_RESET}<span>${t.reset}</span></button>
      </div>
    </div>
    <div class="share-box" role="group" aria-labelledby="cell-${id}-share-hint" hidden>
      <label class="share-label"><span class="share-hint" id="cell-${id}-share-hint"></span>
        <input type="text" readonly class="share-url" spellcheck="false" /></label>
      <span class="share-copied" aria-live="polite"></span>
      <button type="button" class="button button-small" data-action="close-share">${t.close}</button>
    </div>
    <div class="cell-knobs" role="group" aria-label="${t.knobs}"></div>
    <ul class="knob-problems" hidden></ul>
    <div class="cell-editor"></div>
    <div class="progress" role="group" aria-label="${t.progress}"></div>
    <div class="cell-downloads" role="group" aria-label="${t.runFiles}" hidden></div>
    <div class="cell-output">
      <section class="pane" data-pane="console">
        <h${level + 1} class="pane-title">${t.console}</h${level + 1}>
        <div class="console" role="log" aria-live="polite" tabindex="0" data-empty="${t.emptyConsole}"></div>
      </section>
      <section class="pane" data-pane="plots">
        <h${level + 1} class="pane-title">${t.plots}</h${level + 1}>
        <div class="plots" data-empty="${t.emptyPlots}"></div>
      </section>
    </div>`;
  root.querySelector('.cell-title').textContent = title;
  // Every cell has a console and plots: their landmarks say whose they are.
  root.querySelector('[data-pane="console"]').setAttribute('aria-label', `${t.console} — ${title}`);
  root.querySelector('[data-pane="plots"]').setAttribute('aria-label', `${t.plots} — ${title}`);
  root.querySelector('[data-role="edited"]').textContent = t.edited;
  return root;
}

function sameValues(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Builds a cell inside `container` and returns its controller.
 *   where     { lang, chapter, cell }: names it for storage and links
 *   original  { title, code, seed, language, versions }: as the chapter wrote it; language
 *             'js' | 'python' (default 'js') is the language of code, versions { js?, python? }
 *             the code of each version (a cell with both shows a "JavaScript | PyTorch" switch)
 *   initial   { code, knobs, seed, language, codes, from: 'link' | 'storage' } or null: the
 *             state to start in (code is in `language`; codes, the saved code of each version)
 *   baseline  { code, knobs, seed, language }: what counts as unedited and what Reset brings
 *             back (default: the original; an embed's own settings are its baseline)
 *   runner    a runner/runner.js Runner (one per cell)
 *   strings   the interface strings (site/i18n.js)
 *   links     { share(state) -> URL, embed(state, options) -> { iframe, element } HTML } for Share and Embed,
 *             api() -> URL of the gl API reference (an error's help links to it)
 *   persist   keep edits in localStorage (default true)
 *   headingLevel  of the cell's title (3 in a chapter; 1 where the cell is the page)
 *
 * The root element says where it is, for people and for tests:
 *   data-engine = loading | ready | running | failed   (the runner's state)
 *   data-run    = none | running | done | failed | stopped   (the last run)
 *   data-runs   = how many runs have started;  data-edited = true | false
 *   data-language = js | python   (the version shown)
 *   data-python = download | start   while a Python run waits for Pyodide
 *   data-pending = true while a knob change waits to rerun (debounced)
 *   data-ready-at = ms from the page's navigation to the cell's first ready
 *                   state (performance.now()): the cold-load figure
 */
export function createCell(container, { where, original, initial = null, baseline = original, runner, strings: t, links, persist = true, headingLevel = 3 }) {
  const id = where.cell;
  const root = cellMarkup(id, original.title, t, headingLevel);
  container.append(root);
  const runButton = root.querySelector('[data-action="run"]');
  const stopButton = root.querySelector('[data-action="stop"]');
  const resetButton = root.querySelector('[data-action="reset"]');
  const shareBox = root.querySelector('.share-box');
  const shareInput = root.querySelector('.share-url');
  const problemsList = root.querySelector('.knob-problems');
  const status = new StatusView(root.querySelector('.status'), { duration: t.duration });
  const plots = new PlotView(root.querySelector('.plots'), t);
  const progress = new ProgressView(root.querySelector('.progress'), { label: t.progress, step: t.step, left: t.left, duration: t.duration });

  // The code of each version: the chapter's, then what the reader saved or the link brought.
  const originalLanguage = original.language ?? 'js';
  const originalVersions = { ...(original.versions ?? { [originalLanguage]: original.code }) };
  const baselineVersions = baseline === original ? originalVersions : { ...originalVersions, [baseline.language ?? originalLanguage]: baseline.code };
  const codes = { ...originalVersions };
  for (const [l, code] of Object.entries(initial?.codes ?? {})) if (CODE_LANGUAGES.includes(l) && typeof code === 'string') codes[l] = code;
  // A link's or a saved state's code is in its language (the chapter's first one when it names none).
  const initialLanguage = CODE_LANGUAGES.includes(initial?.language) ? initial.language : originalLanguage;
  if (typeof initial?.code === 'string') codes[initialLanguage] = initial.code;
  const preferred = loadCodeLanguage();
  let language = initial && (initial.language || typeof initial.code === 'string') && initialLanguage in codes ? initialLanguage
    : preferred in codes ? preferred : originalLanguage;

  let runs = 0;
  let hasRun = false;
  let seed = initial?.seed ?? original.seed;
  let knobs = []; // declarations parsed from the code
  let knobValues = { ...(initial?.knobs ?? {}) }; // label -> value the reader chose
  // label -> { name, size, bytes } a file knob read: given to runs, never to links or storage
  const files = {};
  let knobTimer = 0;
  let saveTimer = 0;

  const editor = createEditor(root.querySelector('.cell-editor'), {
    doc: codes[language],
    language,
    label: t.codeLabel(original.title),
    onRun: () => run(),
    onStop: () => stop(),
    onChange: () => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(() => {
        saveTimer = 0;
        readKnobs();
        changed();
      }, SAVE_DEBOUNCE_MS);
    },
  });
  const console_ = new ConsoleView(root.querySelector('.console'), {
    trimmedNote: t.consoleTrimmed,
    goToLine: t.goToLine,
    onGoTo: (line, column) => editor.goTo(line, column),
  });
  const knobsView = new KnobsView(root.querySelector('.cell-knobs'), {
    strings: t,
    onKnob: (label, value, { quiet = false } = {}) => {
      knobValues[label] = value;
      changed();
      if (quiet) return; // a text area being typed in: it runs when the focus leaves it
      clearTimeout(knobTimer);
      root.dataset.pending = 'true';
      knobTimer = setTimeout(() => run(), KNOB_DEBOUNCE_MS);
    },
    onFile: (label, file) => {
      files[label] = file;
      clearTimeout(knobTimer);
      root.dataset.pending = 'true';
      knobTimer = setTimeout(() => run(), KNOB_DEBOUNCE_MS);
    },
    onSeed: (value) => {
      seed = value;
      changed();
      run();
    },
    onNewSeed: () => {
      seed = Math.floor(Math.random() * 100000);
      knobsView.setSeed(seed);
      changed();
      run();
    },
  });
  knobsView.setSeed(seed);

  /** The values the code will get: the reader's where they fit, else the defaults. */
  function currentKnobs() {
    return Object.fromEntries(knobs.map((k) => [k.label, knobValue(k, knobValues[k.label])]));
  }

  /** The knob values links and saved edits keep: a file knob's file is never among them. */
  function keptKnobs() {
    const values = currentKnobs();
    for (const k of knobs) if (k.kind === 'file') delete values[k.label];
    return values;
  }

  /** What a run gets: the knob values, and the files the file knobs read. */
  function runKnobs() {
    const values = currentKnobs();
    for (const k of knobs) if (k.kind === 'file' && files[k.label]) values[k.label] = files[k.label];
    return values;
  }

  function readKnobs() {
    const parsed = knobsIn(language, editor.getCode());
    knobs = parsed.knobs;
    knobsView.setKnobs(knobs, runKnobs());
    problemsList.replaceChildren(
      ...parsed.problems.map((p) => {
        const li = document.createElement('li');
        li.textContent = t.knobProblem(p.line, localizeError(p.message, where.lang).text);
        return li;
      }),
    );
    problemsList.hidden = parsed.problems.length === 0;
    root.querySelector('.cell-knobs').dataset.count = String(knobs.length);
  }

  /** The knob values of `code` given `values` (the chapter's defaults where none is given). */
  function knobsOf(code, values = {}) {
    return Object.fromEntries(knobsIn(language, code ?? '').knobs.map((k) => [k.label, knobValue(k, values[k.label])]));
  }

  /** Each version's code as it is now. */
  function currentCodes() {
    return { ...codes, [language]: editor.getCode() };
  }

  function isEdited() {
    const now = currentCodes();
    const codeEdited = Object.keys({ ...now, ...baselineVersions }).some((l) => (now[l] ?? '') !== (baselineVersions[l] ?? ''));
    return codeEdited || seed !== baseline.seed || !sameValues(currentKnobs(), knobsOf(baselineVersions[language], baseline.knobs));
  }

  /** After any edit: mark the cell and keep (or forget) the edit. */
  function changed() {
    const edited = isEdited();
    root.dataset.edited = String(edited);
    root.querySelector('[data-role="edited"]').hidden = !edited;
    resetButton.disabled = !edited;
    if (!persist) return;
    if (edited) saveCell(where, { code: editor.getCode(), knobs: keptKnobs(), seed, language, codes: currentCodes() });
    else forgetCell(where);
  }

  function state() {
    return {
      ...where,
      code: editor.getCode(),
      originalCode: originalVersions[language] ?? '',
      language,
      // A link names the language when the chapter's cell could be read in another one.
      languageShown: language !== originalLanguage || Object.keys(originalVersions).length > 1,
      knobs: keptKnobs(),
      originalKnobs: knobsOf(originalVersions[language]),
      seed,
    };
  }

  const switchBox = root.querySelector('.language-switch');
  function showLanguage() {
    root.dataset.language = language;
    switchBox.hidden = Object.keys(codes).length < 2;
    for (const button of switchBox.querySelectorAll('button')) {
      button.setAttribute('aria-pressed', String(button.dataset.language === language));
      button.hidden = !(button.dataset.language in codes);
    }
  }

  /** The editor's code becomes the cell's Python version (the JavaScript one goes back to the chapter's), and runs. */
  function runAsPython() {
    if (language !== 'js') return;
    const code = editor.getCode();
    codes.js = baselineVersions.js ?? originalVersions.js ?? code;
    codes.python = code;
    language = 'python';
    editor.setLanguage('python', code);
    saveCodeLanguage('python');
    showLanguage();
    readKnobs();
    changed();
    run();
  }

  /** Shows the other version (its code, knobs and highlighting); the reader's choice is kept. */
  function setLanguage(next, { remember = true } = {}) {
    if (!CODE_LANGUAGES.includes(next) || next === language || !(next in codes)) return;
    stop();
    codes[language] = editor.getCode();
    language = next;
    clearTimeout(saveTimer);
    saveTimer = 0;
    editor.setLanguage(language, codes[language]);
    if (remember) saveCodeLanguage(language);
    showLanguage();
    readKnobs();
    changed();
  }

  function setRunState(s) {
    root.dataset.run = s;
    stopButton.disabled = s !== 'running';
  }

  function showOutput(items) {
    const lines = [];
    for (const item of items) {
      if (item.kind === 'print') lines.push({ text: item.more ? item.text + t.moreChars(item.more) : item.text, level: item.level });
      else if (item.kind === 'skipped') lines.push({ text: t.skippedLines(item.count), level: 'note' });
      else if (item.kind === 'plot') plots.show(item.plot);
      else if (item.kind === 'progress') progress.show(item.step, item.total);
      else if (item.kind === 'download') offerFile(item);
    }
    if (lines.length) console_.printBatch(lines);
  }

  // A file the run handed over: a button that saves it when the reader clicks (the code
  // cannot save anything itself). Made in the page from the bytes, never fetched.
  const downloadsBox = root.querySelector('.cell-downloads');
  function clearFiles() {
    downloadsBox.replaceChildren();
    downloadsBox.hidden = true;
  }
  function offerFile({ name, type, bytes }) {
    if (downloadsBox.querySelectorAll('button').length >= DOWNLOAD_LIMITS.count) return;
    if (downloadsBox.hidden) {
      const title = document.createElement('p');
      title.className = 'cell-downloads-title';
      title.textContent = t.runFiles;
      downloadsBox.append(title);
      downloadsBox.hidden = false;
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button-small';
    button.dataset.action = 'save-file';
    button.dataset.file = name;
    button.textContent = t.saveFile(name, formatBytes(bytes.length));
    button.title = t.saveFileTitle;
    button.addEventListener('click', () => {
      const url = URL.createObjectURL(new Blob([bytes], { type }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.rel = 'noopener';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
    downloadsBox.append(button);
  }

  // The error in the page's language, the English original under it when they differ, and
  // what the sandbox refused or where the gl names are (hint).
  function showError(error) {
    const message = localizeError(error.message, where.lang).text;
    const translated = message !== error.message;
    const why = error.hint && t.sandboxHint[error.hint] ? `\n${t.sandboxHint[error.hint]}` : '';
    console_.error(formatExperimentError({ ...error, message }, t.errorWords) + why, {
      line: error.line,
      column: error.column,
      at: error.line != null ? t.errorWords.at(error.line, error.column) : null,
      original: translated ? `${error.name}: ${error.message}` : null,
      help: error.hint === 'python' ? { text: t.pythonHint, link: t.apiReference, href: links.api?.() ?? '' } : null,
      // PyTorch code pasted into a JavaScript cell: it can run as the cell's Python version.
      action: error.hint === 'python' && language === 'js' ? { text: t.runAsPython, onClick: () => runAsPython() } : null,
    });
  }

  async function run() {
    clearTimeout(knobTimer);
    root.dataset.pending = 'false';
    if (saveTimer) {
      clearTimeout(saveTimer);
      saveTimer = 0;
      readKnobs();
      changed();
    }
    const myRun = ++runs;
    hasRun = true;
    root.dataset.runs = String(runs);
    setRunState('running');
    console_.clear();
    clearFiles();
    plots.beginRun();
    progress.reset();
    editor.markErrorLine(null);
    const startedAt = performance.now();
    status.showElapsed(runner.state === 'loading' ? t.starting : t.running, startedAt);
    const onStage = (stage, p) => {
      if (myRun !== runs) return;
      if (stage === 'run') {
        delete root.dataset.python;
        status.showElapsed(t.running, startedAt);
        return;
      }
      root.dataset.python = stage;
      const mb = (n) => (n / 1e6).toFixed(1);
      status.showElapsed(stage === 'download' ? t.pythonDownload(mb(p.loaded), mb(p.total)) : t.pythonStarting, startedAt);
    };
    const result = await runner.run(editor.getCode(), { onOutput: showOutput, knobs: runKnobs(), seed, language, lang: where.lang, onStage });
    delete root.dataset.python;
    if (myRun !== runs) return result; // a newer run took over
    plots.endRun();
    progress.finish();
    console_.flush();
    await plots.drawn();
    if (myRun !== runs) return result;
    // From Run to the last output on screen: the engine's start, the run and the drawing.
    const tookMs = performance.now() - startedAt;
    root.dataset.tookMs = String(Math.round(tookMs)); // what "Done in" says, for tests and bench/
    const took = t.duration(tookMs);
    if (result.status === 'done') {
      status.show(t.done(took), 'ok');
    } else if (result.status === 'stopped') {
      console_.print(t.stopped(took), 'note');
      status.show(t.stopped(took), 'warn');
    } else {
      showError(result.error);
      const { error } = result;
      if (error.line != null) editor.markErrorLine(error.line);
      status.show(t.failed(error.name, error.line), 'error');
    }
    console_.flush(); // everything the run printed is on screen when it says it ended
    setRunState(result.status);
    return result;
  }

  function stop() {
    clearTimeout(knobTimer);
    root.dataset.pending = 'false';
    return runner.stop();
  }

  function reset() {
    stop();
    // Every version back to the chapter's (or the embed's own); the language shown stays,
    // unless it was only a link's.
    for (const l of Object.keys(codes)) if (!(l in baselineVersions)) delete codes[l];
    Object.assign(codes, baselineVersions);
    if (language in codes) editor.setCode(codes[language]);
    else {
      language = baseline.language ?? originalLanguage;
      editor.setLanguage(language, codes[language]);
      showLanguage();
    }
    clearTimeout(saveTimer);
    saveTimer = 0;
    knobValues = { ...baseline.knobs };
    seed = baseline.seed;
    knobsView.setSeed(seed);
    readKnobs();
    changed();
    if (persist) forgetCell(where);
  }

  // The box is part of the page, not a modal: Tab leaves it as usual; Escape or Close puts it
  // away and gives the focus back to the button that opened it.
  let shareOpener = null;
  async function offer(text, hint, opener) {
    shareOpener = opener;
    shareBox.hidden = false;
    root.querySelector('.share-hint').textContent = hint;
    shareInput.value = text;
    const copiedNote = root.querySelector('.share-copied');
    copiedNote.textContent = '';
    shareInput.focus();
    shareInput.select();
    try {
      await navigator.clipboard.writeText(text);
      copiedNote.textContent = t.copied;
    } catch {
      // No clipboard (an insecure context, or permission refused): the text is selected for copying by hand.
    }
  }

  runner.onState((s, detail) => {
    root.dataset.engine = s;
    if (s === 'ready' && !root.dataset.readyAt) root.dataset.readyAt = String(Math.round(performance.now()));
    if (s === 'failed') status.show(t.engineFailed(localizeError(detail, where.lang).text), 'error');
    else if (!hasRun && s === 'loading') status.show(t.loading, 'busy');
    else if (!hasRun && s === 'ready') status.show(t.ready(RUN_KEY), 'idle');
  });

  switchBox.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-language]');
    if (button) setLanguage(button.dataset.language);
  });
  runButton.addEventListener('click', () => run());
  stopButton.addEventListener('click', () => {
    stop();
    runButton.focus(); // the Stop button is about to be disabled
  });
  resetButton.addEventListener('click', () => {
    reset();
    runButton.focus();
  });
  const embedDialog = createEmbedDialog(root, { strings: t, snippets: links.embed });
  root.querySelector('[data-action="embed"]').addEventListener('click', () => embedDialog.open(state()));
  function closeShare() {
    shareBox.hidden = true;
    (shareOpener ?? root.querySelector('[data-action="share"]')).focus();
  }
  root.querySelector('[data-action="share"]').addEventListener('click', (e) => offer(links.share(state()), t.copyHint, e.currentTarget));
  root.querySelector('[data-action="close-share"]').addEventListener('click', closeShare);
  shareBox.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault(); // closes the box; a running cell keeps running
    closeShare();
  });
  // Ctrl/Cmd+Enter from anywhere in the cell (the editor has its own binding).
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
      event.preventDefault();
      run();
    }
  });
  // A file dropped on the cell goes to its (first) file knob.
  const dragsFiles = (event) => knobsView.takesFiles && [...(event.dataTransfer?.types ?? [])].includes('Files');
  root.addEventListener('dragover', (event) => {
    if (!dragsFiles(event)) return;
    event.preventDefault();
    root.dataset.drop = 'true';
  });
  root.addEventListener('dragleave', (event) => {
    if (!root.contains(event.relatedTarget)) delete root.dataset.drop;
  });
  root.addEventListener('drop', (event) => {
    delete root.dataset.drop;
    if (!dragsFiles(event)) return;
    event.preventDefault();
    knobsView.readFile(event.dataTransfer.files[0]);
  });
  // Escape stops a running cell wherever the focus is.
  const onEscape = (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented && runner.running) {
      event.preventDefault();
      stop();
    }
  };
  document.addEventListener('keydown', onEscape);
  // An edit typed just before a reload or a closed tab is kept: the debounced save happens now.
  const savePending = () => {
    if (!saveTimer) return;
    clearTimeout(saveTimer);
    saveTimer = 0;
    readKnobs();
    changed();
  };
  window.addEventListener('pagehide', savePending);

  setRunState('none');
  root.dataset.runs = '0';
  showLanguage();
  readKnobs();
  changed();

  return {
    id,
    root,
    editor,
    run,
    stop,
    reset,
    state,
    setLanguage,
    /** The language shown: 'js' or 'python'. */
    language: () => language,
    /** The knob values the next run gets. */
    knobs: () => currentKnobs(),
    plotData: (plotId) => plots.data(plotId),
    start: () => runner.start(),
    dispose() {
      clearTimeout(knobTimer);
      savePending(); // keep an edit made just before leaving
      window.removeEventListener('pagehide', savePending);
      document.removeEventListener('keydown', onEscape);
      runner.dispose();
      root.remove();
    },
  };
}
