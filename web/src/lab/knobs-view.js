// The knobs of a cell (runner/knobs.js declares them) and its seed, as form
// controls. A view: it shows descriptions and values and reports changes;
// the cell decides when to run. A text knob with rows is a text area (reported as it is
// typed, quietly, and when it loses the focus); a file knob is a file picker whose file this
// view reads (up to MAX_FILE_KNOB_BYTES) and reports as { name, size, bytes }.
import { MAX_FILE_KNOB_BYTES, MAX_TEXT_KNOB_CHARS } from '../runner/knobs.js';
import { formatBytes } from '../runner/downloads.js';

function decimals(step) {
  if (typeof step !== 'number') return 3;
  const s = String(step);
  return s.includes('e-') ? Number(s.split('e-')[1]) : (s.split('.')[1] ?? '').length;
}

function formatKnob(knob, value) {
  return knob.kind === 'range' ? Number(value).toFixed(decimals(knob.step)) : String(value);
}

let uid = 0;

export class KnobsView {
  #root;
  #list;
  #seedInput;
  #strings;
  #onKnob;
  #onFile;
  #key = null;
  #controls = new Map(); // label -> { input, output, knob }

  /**
   * onKnob(label, value, { quiet }) on every change (quiet: a text area being typed in, no run
   * yet); onFile(label, { name, size, bytes }) when a file knob has read its file;
   * onSeed(seed) when the seed changes.
   */
  constructor(root, { strings, onKnob, onFile = () => {}, onSeed, onNewSeed }) {
    this.#root = root;
    this.#strings = strings;
    this.#onKnob = onKnob;
    this.#onFile = onFile;
    this.#list = document.createElement('div');
    this.#list.className = 'knob-list';
    // The dice sits beside the seed's label, not in it: the field's name is "seed" alone.
    const seed = document.createElement('div');
    seed.className = 'knob knob-seed';
    const id = `seed-${++uid}`;
    const seedLabel = document.createElement('label');
    seedLabel.className = 'knob-name';
    seedLabel.htmlFor = id;
    seedLabel.textContent = strings.seed;
    this.#seedInput = document.createElement('input');
    this.#seedInput.type = 'number';
    this.#seedInput.min = '0';
    this.#seedInput.step = '1';
    this.#seedInput.id = id;
    this.#seedInput.dataset.knob = 'seed';
    this.#seedInput.addEventListener('change', () => {
      const v = Number(this.#seedInput.value);
      if (Number.isInteger(v) && v >= 0) onSeed(v);
    });
    const dice = document.createElement('button');
    dice.type = 'button';
    dice.className = 'button button-small';
    dice.dataset.action = 'new-seed';
    dice.textContent = '⚄';
    dice.setAttribute('aria-label', strings.newSeed);
    dice.title = strings.newSeed;
    dice.addEventListener('click', () => onNewSeed());
    seed.append(seedLabel, this.#seedInput, dice);
    root.append(this.#list, seed);
  }

  setSeed(seed) {
    this.#seedInput.value = String(seed);
  }

  /** Shows these knobs with these values ({ label: value }); rebuilt only when the declarations change. */
  setKnobs(knobs, values) {
    const key = JSON.stringify(knobs.map(({ line, value, ...rest }) => rest)); // eslint-disable-line no-unused-vars
    if (key !== this.#key) {
      this.#key = key;
      this.#build(knobs);
    }
    for (const knob of knobs) this.#setValue(knob.label, values[knob.label] ?? knob.value);
    this.#list.hidden = knobs.length === 0;
  }

  /** Whether a knob takes files (a file dropped on the cell goes to the first). */
  get takesFiles() {
    return [...this.#controls.values()].some((c) => c.knob.kind === 'file');
  }

  /** Reads a File (picked or dropped) for the file knob `label` (default: the first). */
  async readFile(file, label) {
    const c = label !== undefined ? this.#controls.get(label) : [...this.#controls.values()].find((x) => x.knob.kind === 'file');
    if (!c || c.knob.kind !== 'file' || !file) return;
    const t = this.#strings;
    if (file.size > MAX_FILE_KNOB_BYTES) {
      this.#fileStatus(c, t.fileTooLarge(file.name, formatBytes(file.size), formatBytes(MAX_FILE_KNOB_BYTES)), 'error');
      return;
    }
    let bytes;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      this.#fileStatus(c, t.fileUnreadable(file.name), 'error');
      return;
    }
    const value = { name: file.name, size: bytes.length, bytes };
    this.#fileStatus(c, t.fileChosen(value.name, formatBytes(value.size)), 'ok');
    this.#onFile(c.knob.label, value);
  }

  #fileStatus(c, text, state) {
    c.output.textContent = text;
    c.output.dataset.state = state;
  }

  #setValue(label, value) {
    const c = this.#controls.get(label);
    if (!c) return;
    if (c.knob.kind === 'file') {
      if (value) this.#fileStatus(c, this.#strings.fileChosen(value.name, formatBytes(value.size)), 'ok');
      else if (c.output.dataset.state !== 'error') this.#fileStatus(c, this.#strings.fileNone, 'none');
      return;
    }
    if (c.knob.kind === 'checkbox') c.input.checked = value;
    else c.input.value = String(value);
    if (c.output) c.output.textContent = formatKnob(c.knob, value);
  }

  #build(knobs) {
    this.#controls.clear();
    this.#list.replaceChildren();
    for (const knob of knobs) {
      if (knob.kind === 'file') {
        this.#buildFile(knob);
        continue;
      }
      const area = knob.kind === 'text' && knob.rows !== undefined;
      const label = document.createElement('label');
      label.className = `knob knob-${knob.kind}${area ? ' knob-area' : ''}`;
      const name = document.createElement('span');
      name.className = 'knob-name';
      name.textContent = knob.label;
      let input;
      let output = null;
      if (knob.kind === 'select') {
        input = document.createElement('select');
        for (const option of knob.options) input.append(new Option(option, option));
      } else if (area) {
        input = document.createElement('textarea');
        input.rows = knob.rows;
        input.spellcheck = false;
        input.maxLength = MAX_TEXT_KNOB_CHARS;
        // typed text is kept as it comes; the run waits for the focus to leave (or Ctrl+Enter)
        input.addEventListener('input', () => this.#onKnob(knob.label, input.value, { quiet: true }));
      } else {
        input = document.createElement('input');
        input.type = { range: 'range', number: 'number', checkbox: 'checkbox', text: 'text' }[knob.kind];
        if (knob.kind === 'range') {
          input.min = String(knob.min);
          input.max = String(knob.max);
          input.step = String(knob.step);
          output = document.createElement('output');
          output.className = 'knob-value';
        } else if (knob.kind === 'number') {
          input.step = String(knob.step);
        }
      }
      input.dataset.knob = knob.label;
      const read = () => {
        if (knob.kind === 'checkbox') return input.checked;
        if (knob.kind === 'range' || knob.kind === 'number') return Number(input.value);
        return input.value;
      };
      const event = !area && (knob.kind === 'range' || knob.kind === 'text' || knob.kind === 'number') ? 'input' : 'change';
      input.addEventListener(event, () => {
        const value = read();
        if (typeof value === 'number' && !Number.isFinite(value)) return;
        if (output) output.textContent = formatKnob(knob, value);
        this.#onKnob(knob.label, value);
      });
      if (knob.kind === 'checkbox') label.append(input, name);
      else label.append(name, input);
      if (output) label.append(output);
      this.#list.append(label);
      this.#controls.set(knob.label, { input, output, knob });
    }
  }

  // The browser's own file input says "No file chosen" in the browser's language: it is kept
  // (for the keyboard and assistive technology) but hidden behind a button in the page's words,
  // and the status beside it says which file the runs get.
  #buildFile(knob) {
    const box = document.createElement('div');
    box.className = 'knob knob-file';
    const label = document.createElement('label');
    label.className = 'knob-name';
    const id = `knob-file-${++uid}`;
    label.htmlFor = id;
    label.textContent = knob.label;
    const input = document.createElement('input');
    input.type = 'file';
    input.id = id;
    input.className = 'knob-file-input';
    if (knob.accept) input.accept = knob.accept;
    input.dataset.knob = knob.label;
    const button = document.createElement('label');
    button.className = 'button button-small knob-file-button';
    button.htmlFor = id;
    button.textContent = this.#strings.chooseFile;
    const output = document.createElement('output');
    output.className = 'knob-file-status';
    output.id = `${id}-status`;
    output.htmlFor = id;
    output.setAttribute('aria-live', 'polite');
    input.setAttribute('aria-describedby', output.id);
    const control = { input, output, knob };
    input.addEventListener('change', () => {
      if (input.files?.[0]) this.readFile(input.files[0], knob.label);
    });
    box.append(label, input, button, output);
    this.#list.append(box);
    this.#controls.set(knob.label, control);
    this.#fileStatus(control, this.#strings.fileNone, 'none');
  }
}
