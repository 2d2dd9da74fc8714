// The knobs of a cell (runner/knobs.js declares them) and its seed, as form
// controls. A view: it shows descriptions and values and reports changes;
// the cell decides when to run.

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
  #key = null;
  #controls = new Map(); // label -> { input, output, knob }

  /** onKnob(label, value) on every change; onSeed(seed) when the seed changes. */
  constructor(root, { strings, onKnob, onSeed, onNewSeed }) {
    this.#root = root;
    this.#strings = strings;
    this.#onKnob = onKnob;
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

  #setValue(label, value) {
    const c = this.#controls.get(label);
    if (!c) return;
    if (c.knob.kind === 'checkbox') c.input.checked = value;
    else c.input.value = String(value);
    if (c.output) c.output.textContent = formatKnob(c.knob, value);
  }

  #build(knobs) {
    this.#controls.clear();
    this.#list.replaceChildren();
    for (const knob of knobs) {
      const label = document.createElement('label');
      label.className = `knob knob-${knob.kind}`;
      const name = document.createElement('span');
      name.className = 'knob-name';
      name.textContent = knob.label;
      let input;
      let output = null;
      if (knob.kind === 'select') {
        input = document.createElement('select');
        for (const option of knob.options) input.append(new Option(option, option));
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
      const event = knob.kind === 'range' || knob.kind === 'text' || knob.kind === 'number' ? 'input' : 'change';
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
}
