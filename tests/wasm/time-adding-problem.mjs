// How long claim 8 (the adding problem at the chapter's defaults) takes in the wasm engine, one
// model at a time, as the page runs it. Not part of `npm test` (minutes, not seconds):
//   node tests/wasm/time-adding-problem.mjs [T=100] [baseline]
import { loadEngine } from './load-engine.mjs';

const args = process.argv.slice(2);
const T = Number(args.find((a) => /^\d+$/.test(a)) ?? 100);
const variant = args.includes('baseline') ? 'baseline' : 'simd';
const gl = await loadEngine(variant);
console.log(`adding problem T=${T}, ${variant} engine, defaults otherwise`);
for (const model of ['rnn', 'lstm', 'irnn']) {
  const start = performance.now();
  let rows = 0;
  const r = gl.experiments.run('adding-problem', { T, model }, { every: 50, onProgress: () => { rows++; } });
  const seconds = (performance.now() - start) / 1000;
  const s = r.scalars;
  console.log(`${model.padEnd(5)} ${String(s[`${model}_steps`]).padStart(5)} steps of ${r.params.batch}: ` +
    `held-out MSE ${s[`${model}_final_mse`].toFixed(5)}, below 0.01 from step ${s[`${model}_solved_step`] ?? '-'}, ` +
    `${seconds.toFixed(1)} s (${(1000 * seconds / s[`${model}_steps`]).toFixed(1)} ms/step, ${rows} progress rows), ` +
    `${s[`${model}_params`]} parameters`);
}
