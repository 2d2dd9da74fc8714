// Every core (issue 16, target 3): chapter cells that call parallel() (web/src/runner/parallel.js),
// as written, in Node (web/tools/check-chapters.mjs runBlock), with one item at a time
// (GRADLAB_CORES=1, what navigator.hardwareConcurrency = 1 gives) and with one per core; the
// ratio of the two is what a reader gains. The race's three models differ in cost (the LSTM is
// about two thirds of the work), the recipe's five are alike.
//   node bench/parallel.mjs [--quick]   (standalone; bench/run.mjs calls parallelRows)
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadChapters, runBlock } from '../web/tools/check-chapters.mjs';

// steps: the cells' defaults, what a reader runs (until 2026-12-02 300 steps, where the workers'
// start weighs more: the race gained 1.7× there and 1.78× at its 1500 steps on the same VM)
export const PARALLEL_CELLS = [
  { id: 'adding-problem', label: 'the three-model race (adding problem, T = 100)', knob: 'training steps', steps: 1500, quickSteps: 100 },
  { id: 'recipe', label: 'the recipe, five LSTMs (T = 50)', knob: 'training steps', steps: 800, quickSteps: 100 },
];

async function timeCell(block, knobs, cores) {
  process.env.GRADLAB_CORES = String(cores); // read by each worker thread of check-chapters
  const r = await runBlock(block, { knobs, timeoutMs: 600_000 });
  if (r.status !== 'done') throw new Error(`#${block.id} with ${cores} core(s): ${r.status} ${r.error?.message ?? ''}`);
  return r.ms;
}

/** [{ label, steps, oneMs, allMs, cores }]: the cells timed with 1 core and with all of them. */
export async function parallelRows({ quick = false, log = () => {} } = {}) {
  const chapter = loadChapters().find((c) => c.slug === 'vanishing-gradients' && c.lang === 'en');
  const cores = os.availableParallelism();
  const saved = process.env.GRADLAB_CORES;
  const rows = [];
  try {
    for (const c of PARALLEL_CELLS) {
      const block = chapter.cells.find((b) => b.id === c.id);
      const steps = quick ? c.quickSteps : c.steps;
      const knobs = { [c.knob]: steps };
      log(`parallel: #${c.id}, ${steps} steps, 1 core and ${cores}`);
      const oneMs = await timeCell(block, knobs, 1);
      const allMs = await timeCell(block, knobs, cores);
      rows.push({ label: c.label, steps, oneMs, allMs, cores });
    }
  } finally {
    if (saved === undefined) delete process.env.GRADLAB_CORES;
    else process.env.GRADLAB_CORES = saved;
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await parallelRows({ quick: process.argv.includes('--quick'), log: (m) => console.error(m) });
  for (const r of rows) console.log(`${r.label}, ${r.steps} steps: 1 core ${(r.oneMs / 1000).toFixed(1)} s, ${r.cores} cores ${(r.allMs / 1000).toFixed(1)} s, ${(r.oneMs / r.allMs).toFixed(2)}×`);
}
