// The engine's random stream is PCG32 + Box-Muller; an independent JS reimplementation
// (BigInt) must produce the same numbers, so native and wasm runs agree bit for bit.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from './load-engine.mjs';

let gl;
before(async () => { gl = await loadEngine(); });

const M64 = (1n << 64n) - 1n;
function splitmix64(state) {
  state.x = (state.x + 0x9E3779B97F4A7C15n) & M64;
  let z = state.x;
  z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & M64;
  return z ^ (z >> 31n);
}
function pcg32(seed) {
  const s = { x: BigInt(seed) };
  let state = splitmix64(s);
  const inc = splitmix64(s) | 1n;
  return () => {
    const old = state;
    state = (old * 6364136223846793005n + inc) & M64;
    const xorshifted = Number((((old >> 18n) ^ old) >> 27n) & 0xFFFFFFFFn);
    const rot = Number(old >> 59n);
    return ((xorshifted >>> rot) | (xorshifted << ((32 - rot) & 31))) >>> 0;
  };
}

test('gl.rand follows the reference PCG32 stream exactly', () => {
  gl.manualSeed(2024);
  const got = gl.rand([1000]).toArray();
  const next = pcg32(2024);
  const want = Float32Array.from({ length: 1000 }, () => (next() >>> 8) / 16777216);
  assert.deepEqual(got, want);
});

test('gl.randn follows the reference Box-Muller stream', () => {
  gl.manualSeed(7);
  const got = gl.randn([1000]).toArray();
  const next = pcg32(7);
  const want = new Float32Array(1000);
  for (let i = 0; i < 1000; i += 2) {
    const u1 = (next() + 1) / 4294967296;
    const u2 = next() / 4294967296;
    const r = Math.sqrt(-2 * Math.log(u1));
    want[i] = r * Math.cos(2 * Math.PI * u2);
    want[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  let maxDiff = 0;
  for (let i = 0; i < 1000; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
  assert.ok(maxDiff <= 1e-6, `max difference ${maxDiff}`); // libm vs JS Math may differ in the last float bit
});

test('same seed, same training run; another seed, another run', () => {
  const run = (seed) => {
    gl.manualSeed(seed);
    const model = new gl.nn.Linear(5, 1);
    const opt = new gl.optim.Adam(model.parameters(), { lr: 0.01 });
    const x = gl.randn([16, 5]), y = gl.randn([16, 1]);
    const losses = [];
    for (let i = 0; i < 20; i++) {
      opt.zeroGrad();
      const loss = gl.nn.functional.mseLoss(model.forward(x), y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    return losses;
  };
  assert.deepEqual(run(3), run(3));
  assert.notDeepEqual(run(3), run(4));
});
