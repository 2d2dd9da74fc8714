// parallel(items, fn, options) (web/src/runner/parallel.js): a cell's independent runs, one worker
// per item, each a re-run of the cell up to the call. Run here the way the lab runs cells
// (web/tools/check-chapters.mjs: a worker thread per block, and one per item). What it promises:
// every item starts from the cell as it was at the call, so results do not depend on how many
// run at once and equal what the cell computes without parallel(); output reaches the cell once;
// errors name the item and the reader's line; bad arguments are refused by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBlock } from '../../web/tools/check-chapters.mjs';

async function cell(code, { seed = 1, timeoutMs = 60_000 } = {}) {
  return runBlock({ id: 'parallel', code, seed }, { timeoutMs });
}

async function done(code, options) {
  const r = await cell(code, options);
  assert.equal(r.status, 'done', `${r.status}: ${r.error?.message ?? ''}`);
  return { ...r, lines: r.prints.map((p) => p.text) };
}

async function fails(code, pattern, where = {}) {
  const r = await cell(code);
  assert.equal(r.status, 'failed', `expected a failure, got ${r.status}`);
  assert.match(r.error.message, pattern);
  if (where.line !== undefined) assert.equal(r.error.line, where.line, `line of: ${r.error.message}`);
  if (where.name !== undefined) assert.equal(r.error.name, where.name);
  return r.error;
}

// Three small RNNs built before the call, each trained 15 steps on the adding problem; the cell
// prints the losses as JSON. `body` decides how they are trained.
const TRAIN = `
const H = 8, T = 12;
const nets = [0.5, 1, 2].map((scale) => {
  const rnn = new gl.nn.RNN(2, H);
  gl.nn.init.fillSlice(rnn.weight_hh_l0, 0, H * H, 0.1 * scale);
  const head = new gl.nn.Linear(H, 1);
  return { rnn, head, opt: new gl.optim.Adam([...rnn.parameters(), ...head.parameters()], { lr: 0.01 }) };
});
const task = new gl.tasks.AddingProblem({ T, seed: 3 });
function train(n, task) {
  const losses = [];
  for (let step = 0; step < 15; step++) {
    const { x, y } = task.batch(16);
    const loss = gl.nn.functional.mseLoss(n.head.forward(n.rnn.forward(x)[0].select(1, T - 1)), y);
    n.opt.zeroGrad();
    loss.backward();
    n.opt.step();
    losses.push(loss.item());
    progress(step + 1, 15);
  }
  return losses;
}
`;

test('results come back in order, equal whatever the number of workers, and equal to the cell run without parallel()', async () => {
  // Without parallel(): each net gets a task of its own from the same seed, the batches the
  // workers' copies of `task` give.
  const plain = await done(`${TRAIN}
print(JSON.stringify(nets.map((n) => train(n, new gl.tasks.AddingProblem({ T, seed: 3 })))));`);
  const expected = JSON.parse(plain.lines[0]);
  assert.equal(expected.length, 3);
  assert.notDeepEqual(expected[0], expected[1], 'the three nets differ');
  for (const workers of [1, 2, 3]) {
    const r = await done(`${TRAIN}
print(JSON.stringify(await parallel(nets, (n) => train(n, task), { workers: ${workers} })));`);
    assert.deepEqual(JSON.parse(r.lines[0]), expected, `workers: ${workers}`);
    assert.deepEqual(r.progress, { step: 15, total: 15 }, 'one bar, in the loop\'s own steps');
  }
});

test('every item starts from the cell\'s state at the call: the same random numbers, the state the parent had; what fn changes stays in its worker', async () => {
  const r = await done(`
const before = gl.randn([2]).toArray();
let counter = 10;
const out = await parallel(['a', 'b', 'c'], (s) => { counter += 1; return { s, counter, r: gl.randn([1]).item() }; });
const after = gl.randn([1]).item();
print(JSON.stringify({ out, counter, after }));`);
  const { out, counter, after } = JSON.parse(r.lines[0]);
  assert.deepEqual(out.map((o) => o.s), ['a', 'b', 'c']);
  assert.deepEqual(out.map((o) => o.counter), [11, 11, 11]);
  assert.ok(out.every((o) => o.r === out[0].r), 'each item drew the same next number');
  assert.equal(counter, 10, 'the cell\'s own variable is untouched');
  assert.equal(after, out[0].r, 'the cell draws the number each item drew: the items used none of its stream');
});

test('a second call\'s workers get the first call\'s results, as the cell got them, without running it again', async () => {
  const r = await done(`
const first = await parallel([1, 2], (k) => { print('first, item', k); return k * 10; });
first.push(99); // the cell's own change to its copy
const second = await parallel([0, 1], (i) => first[i] + 1);
print(JSON.stringify({ first, second }));`);
  assert.deepEqual(JSON.parse(r.lines.at(-1)), { first: [10, 20, 99], second: [11, 21] });
  assert.equal(r.lines.filter((l) => l.startsWith('first, item')).length, 2, r.lines.join('\n'));
});

test('output: the cell\'s own lines once, each item\'s lines from inside fn, reports to onReport in the cell, a plot made there', async () => {
  const r = await done(`
print('before the call');
const got = [];
await parallel(['x', 'y'], (s, { index, report }) => {
  print('inside', s, index);
  report({ s, twice: [index, index] });
  return null;
}, { onReport: (value, index) => { got.push([index, value.s]); plot({ title: 'reports', series: { n: got.map((g) => g[0]) } }); } });
print('after', JSON.stringify(got.sort()));`);
  assert.equal(r.lines.filter((l) => l === 'before the call').length, 1, r.lines.join('\n'));
  assert.ok(r.lines.includes('inside x 0') && r.lines.includes('inside y 1'), r.lines.join('\n'));
  assert.equal(r.lines.at(-1), 'after [[0,"x"],[1,"y"]]');
  assert.deepEqual(r.plots.get('reports').series[0].values.length, 2);
});

test('an error in an item ends the call with the item and the reader\'s own line; the other workers are ended', async () => {
  const e = await fails(`const r = await parallel([1, 2, 3], (k) => {
  if (k === 2) throw new RangeError('no good: ' + k);
  while (true) {} // the others never end by themselves
});`, /^parallel: item 1 \(2\) failed: no good: 2$/, { line: 2, name: 'RangeError' });
  assert.ok(e);
  await fails(`await parallel([1], () => 1, { onReport: 1 });`, /onReport must be a function/, { line: 1 });
  await fails(`await parallel([1], (k, { report }) => { report(1); return 1; }, {
  onReport: () => { throw new Error('from onReport'); },
});`, /^from onReport$/, { line: 2 });
});

test('what cannot cross threads is refused by name: a tensor, a model, a function', async () => {
  await fails('await parallel([1], () => gl.zeros([2]));', /item 0 \(1\) failed: what fn returned for item 0 is a Tensor, .*t\.toArray\(\)/);
  await fails('await parallel([1], () => ({ net: new gl.nn.Linear(2, 2) }));', /what fn returned for item 0\.net is a Linear/);
  await fails('await parallel([1], () => [1, () => 2]);', /what fn returned for item 0\.1 is a function/);
  await fails('await parallel([1], (k, { report }) => report({ t: gl.ones([1]) }));', /a report\.t is a Tensor/);
});

test('bad arguments get an error that names the call and the value', async () => {
  await fails('await parallel(3, () => 1);', /^parallel: items must be an array .*got 3$/, { line: 1 });
  await fails('await parallel([], () => 1);', /^parallel: items is empty/);
  await fails('await parallel(Array(65).fill(0), () => 1);', /^parallel: 65 items, more than the 64/);
  await fails('await parallel([1], "f");', /^parallel: fn must be a function .*got "f"$/);
  for (const w of ['0', '17', '1.5', '"2"']) await fails(`await parallel([1], () => 1, { workers: ${w} });`, /^parallel: workers must be a whole number from 1 to 16, got /);
  await fails('await parallel([1], () => 1, { worker: 2 });', /^parallel: unknown option 'worker'/);
  await fails('await parallel([1], async () => { await parallel([1], () => 1); });', /item 0 \(1\) failed: fn cannot call parallel\(\) itself/);
  await fails('parallel([1], () => 1); await parallel([2], () => 2);', /another parallel\(\) call is still running/);
});

test('code before the call that runs differently in a worker is caught, not silently mixed', async () => {
  // 3 to 64 items, drawn with Math.random (not seeded): every worker must draw the count the
  // cell drew, which all three (at least) do with a chance of 1 in 62³.
  await fails(`const n = 3 + Math.floor(Math.random() * 62);
await parallel(Array.from({ length: n }, (_, i) => i), () => 1, { workers: 1 });`, /^parallel: item 0 \(0\) failed: the code before parallel\(\) ran differently in a worker \(\d+ items in the cell's run, \d+ in the worker's\)/);
});

test('Stop (the run\'s end) ends its workers: a timed-out cell whose items loop forever leaves nothing running', async () => {
  const r = await cell('await parallel([1, 2, 3], () => { while (true) {} });', { timeoutMs: 2_000 });
  assert.equal(r.status, 'timeout');
  // Had its two worker threads outlived the cell's, they would keep both cores busy: this
  // process would use about 2 s of CPU a second. It uses next to none.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const used = process.cpuUsage(before);
  assert.ok((used.user + used.system) / 1e6 < 0.4, `CPU used in 1 s after the cell ended: ${(used.user + used.system) / 1e6} s`);
  const next = await done('print(await parallel([1, 2], (k) => k * 2))');
  assert.deepEqual(next.lines, ['[2, 4]']);
});
