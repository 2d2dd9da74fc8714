// One experiment cell: the controller that ties the editor, the Run/Stop
// buttons and the status, console and plot views to a Runner. It holds no
// engine or worker code itself (runner/) and no drawing code (the views).
import { createEditor } from './editor.js';
import { ConsoleView } from './console-view.js';
import { PlotView } from './plot-view.js';
import { StatusView, formatDuration } from './status-view.js';
import { formatExperimentError } from '../runner/format.js';

const isMac = /Mac|iPhone|iPad/.test(navigator.userAgentData?.platform ?? navigator.platform ?? '');
const RUN_KEY = isMac ? '⌘ Enter' : 'Ctrl+Enter';

const ICON_RUN = '<svg class="button-icon" viewBox="0 0 12 12" aria-hidden="true"><path d="M2.5 1.2v9.6L10.5 6z" fill="currentColor"/></svg>';
const ICON_STOP = '<svg class="button-icon" viewBox="0 0 12 12" aria-hidden="true"><rect x="2" y="2" width="8" height="8" rx="1" fill="currentColor"/></svg>';

function cellMarkup(id, title, description) {
  const root = document.createElement('section');
  root.className = 'cell';
  root.id = `cell-${id}`;
  root.setAttribute('aria-labelledby', `cell-${id}-title`);
  root.innerHTML = `
    <header class="cell-header">
      <h2 class="cell-title" id="cell-${id}-title"></h2>
      <p class="cell-description"></p>
    </header>
    <div class="cell-toolbar">
      <button type="button" class="button button-primary" data-action="run" aria-label="Run"
        aria-keyshortcuts="${isMac ? 'Meta+Enter' : 'Control+Enter'}">${ICON_RUN}Run <kbd aria-hidden="true">${RUN_KEY}</kbd></button>
      <button type="button" class="button" data-action="stop" aria-label="Stop" aria-keyshortcuts="Escape"
        disabled>${ICON_STOP}Stop <kbd aria-hidden="true">Esc</kbd></button>
      <p class="status" role="status" aria-live="polite"></p>
    </div>
    <div class="cell-editor"></div>
    <div class="cell-output">
      <section class="pane" aria-label="Console">
        <h3 class="pane-title">Console</h3>
        <div class="console" role="log" aria-live="polite"></div>
      </section>
      <section class="pane" aria-label="Plots">
        <h3 class="pane-title">Plots</h3>
        <div class="plots"></div>
      </section>
    </div>`;
  root.querySelector('.cell-title').textContent = title;
  const desc = root.querySelector('.cell-description');
  desc.textContent = description ?? '';
  desc.hidden = !description;
  return root;
}

/**
 * Builds a cell inside `container` and returns its controller.
 * runner: a runner/runner.js Runner (one per cell).
 *
 * The cell's root element says where it is, for people and for tests:
 *   data-engine = loading | ready | running | failed   (the runner's state)
 *   data-run    = none | running | done | failed | stopped   (the last run)
 *   data-runs   = how many runs have started
 */
export function createCell(container, { id, title, description, code, runner }) {
  const root = cellMarkup(id, title, description);
  container.append(root);
  const runButton = root.querySelector('[data-action="run"]');
  const stopButton = root.querySelector('[data-action="stop"]');
  const status = new StatusView(root.querySelector('.status'));
  const plots = new PlotView(root.querySelector('.plots'));

  let runs = 0;
  let hasRun = false;

  const editor = createEditor(root.querySelector('.cell-editor'), {
    doc: code,
    label: `Code of the experiment "${title}"`,
    onRun: () => run(),
    onStop: () => stop(),
  });
  const console_ = new ConsoleView(root.querySelector('.console'), {
    onGoTo: (line, column) => editor.goTo(line, column),
  });

  function setRunState(state) {
    root.dataset.run = state;
    stopButton.disabled = state !== 'running';
  }

  function showOutput(items) {
    const lines = [];
    for (const item of items) {
      if (item.kind === 'print') lines.push({ text: item.text, level: item.level });
      else if (item.kind === 'skipped') lines.push({ text: `… ${item.count} earlier lines skipped`, level: 'note' });
      else if (item.kind === 'plot') plots.show(item.plot);
    }
    if (lines.length) console_.printBatch(lines);
  }

  async function run() {
    const myRun = ++runs;
    hasRun = true;
    root.dataset.runs = String(runs);
    setRunState('running');
    console_.clear();
    plots.beginRun();
    editor.markErrorLine(null);
    status.showElapsed(runner.state === 'loading' ? 'Starting the engine…' : 'Running…', performance.now());
    const result = await runner.run(editor.getCode(), { onOutput: showOutput });
    if (myRun !== runs) return result; // a newer run took over
    plots.endRun();
    const took = formatDuration(result.ms);
    if (result.status === 'done') {
      status.show(`Done in ${took}.`, 'ok');
    } else if (result.status === 'stopped') {
      console_.print(`Stopped after ${took}.`, 'note');
      status.show(`Stopped after ${took}.`, 'warn');
    } else {
      const { error } = result;
      console_.error(formatExperimentError(error), { line: error.line, column: error.column });
      if (error.line != null) editor.markErrorLine(error.line);
      const where = error.line != null ? ` on line ${error.line}` : '';
      status.show(`${error.name}${where}. See the console.`, 'error');
    }
    setRunState(result.status);
    return result;
  }

  function stop() {
    return runner.stop();
  }

  runner.onState((state, detail) => {
    root.dataset.engine = state;
    if (state === 'failed') status.show(`The engine could not be loaded: ${detail}`, 'error');
    else if (!hasRun && state === 'loading') status.show('Loading the engine…', 'busy');
    else if (!hasRun && state === 'ready') status.show(`Ready. Press Run or ${RUN_KEY}.`, 'idle');
  });

  runButton.addEventListener('click', () => run());
  stopButton.addEventListener('click', () => {
    stop();
    runButton.focus(); // the Stop button is about to be disabled
  });
  // Ctrl/Cmd+Enter from anywhere in the cell (the editor has its own binding).
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
      event.preventDefault();
      run();
    }
  });
  // Escape stops a running cell wherever the focus is.
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !event.defaultPrevented && runner.running) {
      event.preventDefault();
      stop();
    }
  });

  setRunState('none');
  root.dataset.runs = '0';
  runner.start();

  return { id, root, editor, run, stop };
}
