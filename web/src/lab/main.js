// Entry point of the lab page: builds its experiment cell(s).
import 'uplot/dist/uPlot.min.css';
import './lab.css';
import { createCell } from './cell.js';
import { Runner } from '../runner/runner.js';
import { loadEngine } from '../runner/engine.js';
import lstmCellCode, { title, description } from '../experiments/lstm-cell.js';

// Start compiling the engine now; the editor is built meanwhile.
loadEngine(document.baseURI);

const container = document.getElementById('experiments');

const cell = createCell(container, {
  id: 'lstm-cell',
  title,
  description,
  code: lstmCellCode,
  runner: new Runner({ baseURI: document.baseURI }),
});

// For the browser console and the end-to-end tests: gradlab.cells['lstm-cell'].run()
window.gradlab = { cells: { [cell.id]: cell } };
