// Keeping a model and handing files over (issue 14): gl.save / gl.load in the safetensors
// format with PyTorch's state_dict names, module.stateDict() / loadStateDict(), Python's
// safetensors.torch on the same codec, file and text knobs, and download().
// Files made here by hand follow the format's description (8-byte little-endian header length,
// JSON header, raw little-endian values), independently of web/src/api/safetensors.js.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPython } from './python-harness.mjs';
import { describeKnob, knobValue, makeKnobFunction, parseKnobs, MAX_TEXT_KNOB_CHARS } from '../../web/src/runner/knobs.js';
import { parsePythonKnobs } from '../../web/src/runner/python-knobs.js';
import { downloadItem, sanitizeFileName, DOWNLOAD_LIMITS } from '../../web/src/runner/downloads.js';
import { Outbox } from '../../web/src/runner/outbox.js';
import { readWorkerMessage } from '../../web/src/runner/messages.js';
import { makeCellGlobals } from '../../web/src/runner/cell-globals.js';

let py;
let gl;
before(async () => {
  py = await loadPython();
  gl = py.gl;
});

/** A safetensors file made by hand: tensors [[name, dtype, shape, numbers]], values as little-endian. */
function handMade(tensors, { metadata, pad = true } = {}) {
  const size = { F32: 4, I64: 8, BOOL: 1, F16: 2 };
  const header = metadata ? { __metadata__: metadata } : {};
  let at = 0;
  for (const [name, dtype, shape, values] of tensors) {
    header[name] = { dtype, shape, data_offsets: [at, at + values.length * size[dtype]] };
    at += values.length * size[dtype];
  }
  let json = JSON.stringify(header);
  if (pad) json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const head = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + head.length + at);
  out.writeBigUInt64LE(BigInt(head.length), 0);
  head.copy(out, 8);
  let p = 8 + head.length;
  for (const [, dtype, , values] of tensors) {
    for (const v of values) {
      if (dtype === 'F32') { out.writeFloatLE(v, p); p += 4; }
      else if (dtype === 'I64') { out.writeBigInt64LE(BigInt(v), p); p += 8; }
      else if (dtype === 'F16') { out.writeUInt16LE(0x3c00, p); p += 2; }
      else { out.writeUInt8(v ? 1 : 0, p); p += 1; }
    }
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** The header of a file, read here by hand. */
function readHeader(bytes) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const n = Number(buf.readBigUInt64LE(0));
  return { n, header: JSON.parse(buf.subarray(8, 8 + n).toString('utf8')), data: buf.subarray(8 + n) };
}

function seq2seq(seed) {
  gl.manualSeed(seed);
  class Seq2Seq extends gl.nn.Module {
    constructor() {
      super();
      this.embed = new gl.nn.Embedding(10, 4);
      this.encoder = new gl.nn.LSTM(4, 6);
      this.decoder = new gl.nn.GRU(4, 6);
      this.head = new gl.nn.Linear(6, 10);
    }
    forward(src, tgt) {
      const [, [h]] = this.encoder.forward(this.embed.forward(src));
      const [out] = this.decoder.forward(this.embed.forward(tgt), h);
      return this.head.forward(out);
    }
  }
  return new Seq2Seq();
}
const SRC = [[1, 2, 3, 4], [5, 6, 7, 8]];
const TGT = [[0, 3, 2], [0, 9, 1]];

test('stateDict has PyTorch\'s names, in the order the fields were set', () => {
  const m = seq2seq(1);
  assert.deepEqual(Object.keys(m.stateDict()), [
    'embed.weight',
    'encoder.weight_ih_l0', 'encoder.weight_hh_l0', 'encoder.bias_ih_l0', 'encoder.bias_hh_l0',
    'decoder.weight_ih_l0', 'decoder.weight_hh_l0', 'decoder.bias_ih_l0', 'decoder.bias_hh_l0',
    'head.weight', 'head.bias',
  ]);
  assert.deepEqual(Object.keys(new gl.nn.MultiheadAttention(4, 2).stateDict()), ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
  assert.deepEqual(Object.keys(new gl.nn.Sequential(new gl.nn.Linear(2, 3), new gl.nn.ReLU(), new gl.nn.Linear(3, 1)).stateDict()),
    ['0.weight', '0.bias', '2.weight', '2.bias']);
  assert.deepEqual(Object.keys(new gl.nn.LSTM(3, 4, { numLayers: 2 }).stateDict()).slice(4), ['weight_ih_l1', 'weight_hh_l1', 'bias_ih_l1', 'bias_hh_l1']);
});

test('save, then load into a model made with another seed: the same outputs, to the bit', () => {
  const a = seq2seq(1);
  const b = seq2seq(2);
  const out = (m) => Array.from(m.forward(SRC, TGT).toArray());
  const want = out(a);
  assert.notDeepEqual(out(b), want, 'two seeds give two models');
  const bytes = gl.save(a);
  assert.ok(bytes instanceof Uint8Array);
  const dict = gl.load(bytes);
  assert.deepEqual(Object.keys(dict), Object.keys(a.stateDict()));
  assert.deepEqual(b.loadStateDict(dict), { missingKeys: [], unexpectedKeys: [] });
  assert.deepEqual(out(b), want);
  // gl.load(bytes, into) does both; an object of modules is named by its keys
  const c = seq2seq(3);
  const parts = gl.save({ encoder: a.encoder, head: a.head });
  assert.deepEqual(Object.keys(gl.load(parts)), ['encoder.weight_ih_l0', 'encoder.weight_hh_l0', 'encoder.bias_ih_l0', 'encoder.bias_hh_l0', 'head.weight', 'head.bias']);
  gl.load(parts, { encoder: c.encoder, head: c.head });
  assert.deepEqual(Array.from(c.head.weight.toArray()), Array.from(a.head.weight.toArray()));
  assert.notDeepEqual(Array.from(c.decoder.weight_ih_l0.toArray()), Array.from(a.decoder.weight_ih_l0.toArray()));
});

test('what gl.save writes is the documented format, read here by hand', () => {
  const lin = new gl.nn.Linear(3, 2);
  const bytes = gl.save(lin);
  const { n, header, data } = readHeader(bytes);
  assert.equal(n % 8, 0, 'the header is padded to 8 bytes');
  assert.deepEqual(header.__metadata__, { format: 'pt' });
  assert.deepEqual(header.weight, { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] });
  assert.deepEqual(header.bias, { dtype: 'F32', shape: [2], data_offsets: [24, 32] });
  assert.equal(data.length, 32);
  const floats = (from, count) => Array.from({ length: count }, (_, i) => data.readFloatLE(from + 4 * i));
  assert.deepEqual(floats(0, 6), Array.from(lin.weight.toArray()));
  assert.deepEqual(floats(24, 2), Array.from(lin.bias.toArray()));
});

test('a file made by hand loads: values, shapes, I64 and BOOL as numbers, any order of entries', () => {
  const bytes = handMade([
    ['b', 'F32', [2], [0.5, -2]],
    ['a.weight', 'F32', [2, 2], [1, 2, 3, 4]],
    ['ids', 'I64', [3], [7, -1, 16777216]],
    ['mask', 'BOOL', [2], [1, 0]],
  ], { metadata: { note: 'by hand' }, pad: false });
  const d = gl.load(bytes);
  assert.deepEqual(Object.keys(d), ['b', 'a.weight', 'ids', 'mask']);
  assert.deepEqual(d['a.weight'].shape, [2, 2]);
  assert.deepEqual(Array.from(d['a.weight'].toArray()), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(d.b.toArray()), [0.5, -2]);
  assert.deepEqual(Array.from(d.ids.toArray()), [7, -1, 16777216]);
  assert.deepEqual(Array.from(d.mask.toArray()), [1, 0]);
  const lin = new gl.nn.Linear(2, 2);
  lin.loadStateDict({ weight: d['a.weight'], bias: d.b });
  assert.deepEqual(Array.from(lin.forward(gl.tensor([[1, 0]])).toArray()), [1.5, 1]);
});

test('a damaged or foreign file is refused with what is wrong', () => {
  const good = gl.save(new gl.nn.Linear(3, 2));
  const fails = (bytes, pattern) => assert.throws(() => gl.load(bytes), (e) => e.name === 'SafetensorsError' && pattern.test(e.message), String(pattern));
  fails(good.subarray(0, 5), /^load: this is not a safetensors file: it has 5 bytes/);
  fails(good.subarray(0, 40), /^load: the file is truncated: its header should take \d+ bytes after the first 8, but the file has 40 bytes/);
  fails(good.subarray(0, good.length - 4), /^load: the file is truncated: tensor 'bias' ends at byte 32 of the data, which has 28 bytes/);
  const bad = good.slice();
  bad[8] = 0x78; // 'x': not JSON
  fails(bad, /^load: the header is not valid JSON/);
  fails(new TextEncoder().encode('PK\x03\x04 a zip, as torch.save writes'), /^load: this is not a safetensors file: its first 8 bytes give a header of \d+ bytes/);
  fails(handMade([['w', 'F16', [2], [1, 1]]]), /^load: tensor 'w' has dtype F16; the lab reads F32, I64, BOOL/);
  const wrongSize = handMade([['w', 'F32', [2], [1, 2]]]);
  const { n } = readHeader(wrongSize);
  const patched = Buffer.from(wrongSize);
  patched.write(JSON.stringify({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }).padEnd(n), 8);
  fails(new Uint8Array(patched), /^load: tensor 'w' \(F32, shape \[3\]\) needs 12 bytes, but its data_offsets give 8/);
  assert.throws(() => gl.load('model.safetensors'), /load: expected the file's bytes/);
});

test('loadStateDict names missing and unexpected keys and shape mismatches, as PyTorch does, and changes nothing then', () => {
  const lstm = new gl.nn.LSTM(3, 4);
  const before = Array.from(lstm.weight_ih_l0.toArray());
  assert.throws(() => lstm.loadStateDict({ weight_ih_l0: gl.zeros([16, 3]), extra: gl.zeros([1]) }), (e) =>
    /Error\(s\) in loading state_dict for LSTM:\n\tUnexpected key\(s\) in state_dict: "extra"\. \n\tMissing key\(s\) in state_dict: "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"\./.test(e.message));
  assert.deepEqual(Array.from(lstm.weight_ih_l0.toArray()), before, 'nothing copied when loading fails');
  assert.throws(() => new gl.nn.Linear(3, 5).loadStateDict(gl.load(gl.save(new gl.nn.Linear(3, 4)))), (e) =>
    /size mismatch for weight: copying a param with shape \[4, 3\] from checkpoint, the shape in current model is \[5, 3\]\.\n\tsize mismatch for bias: copying a param with shape \[4\] from checkpoint, the shape in current model is \[5\]\./.test(e.message));
  // strict: false loads what matches and reports the rest
  const lin = new gl.nn.Linear(2, 2);
  assert.deepEqual(lin.loadStateDict({ weight: gl.ones([2, 2]), other: gl.ones([1]) }, { strict: false }), { missingKeys: ['bias'], unexpectedKeys: ['other'] });
  assert.deepEqual(Array.from(lin.weight.toArray()), [1, 1, 1, 1]);
  assert.throws(() => gl.load(gl.save(new gl.nn.Linear(3, 4)), new gl.nn.GRU(3, 4)), /Missing key\(s\) in state_dict: "weight_ih_l0"/);
  assert.throws(() => gl.save(42), /save: expected a gl.nn.Module, a state dict/);
});

test('Python: safetensors.torch round-trips, and reads what a JavaScript cell saved (same numbers)', async () => {
  gl.manualSeed(5);
  const lstm = new gl.nn.LSTM(3, 4);
  const x = gl.randn([2, 5, 3]);
  const want = Array.from(lstm.forward(x)[0].toArray());
  const bytes = gl.save(lstm);
  const r = await py.run(`
import torch
from torch import nn
from safetensors.torch import save, load, save_file, load_file
f = knob('model', None, kind='file', accept='.safetensors')
print(f)
sd = load(f.bytes)
print(list(sd))
m = nn.LSTM(3, 4, batch_first=True)
print(m.load_state_dict(sd))
x = torch.tensor(${JSON.stringify(Array.from(x.toArray()))}).reshape(2, 5, 3)
y, _ = m(x)
print(y.flatten().tolist())
again = load(save(m.state_dict(), metadata={'task': 'test'}))
print(all(torch.equal(again[k], v) for k, v in m.state_dict().items()))
save_file({'ids': torch.tensor([3, 1, 2]), 'mask': torch.tensor([True, False])}, 'small.safetensors')
back = load_file('small.safetensors')
print(back['ids'].dtype, back['ids'].tolist(), back['mask'].dtype, back['mask'].tolist())
print(download('lstm.safetensors', save(m.state_dict())))
`, { knobs: { model: { name: 'lstm.safetensors', size: bytes.length, bytes } } });
  assert.equal(r.error, null, String(r.error));
  const lines = r.lines;
  assert.equal(lines[0], `KnobFile(name='lstm.safetensors', size=${bytes.length})`);
  assert.equal(lines[1], "['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']");
  assert.equal(lines[2], '<All keys matched successfully>');
  const got = JSON.parse(lines[3]);
  assert.equal(got.length, want.length);
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-6, `output ${i}: ${v} vs ${want[i]}`));
  assert.equal(lines[4], 'True');
  assert.equal(lines[5], 'torch.int64 [3, 1, 2] torch.bool [True, False]');
  assert.equal(lines[6], 'lstm.safetensors');
  // what Python saved loads in JavaScript, into a layer that then computes the same output
  const [item] = r.downloads;
  assert.equal(item.kind, 'download');
  assert.equal(item.type, 'application/octet-stream');
  const { header } = readHeader(item.bytes);
  assert.equal(header.weight_ih_l0.dtype, 'F32');
  gl.manualSeed(6);
  const other = new gl.nn.LSTM(3, 4);
  gl.load(item.bytes, other);
  assert.deepEqual(Array.from(other.forward(x)[0].toArray()), want);
});

test('Python: a damaged file raises SafetensorError; load_state_dict errors keep PyTorch\'s words', async () => {
  const r = await py.run(`
import torch
from torch import nn
from safetensors import SafetensorError
from safetensors.torch import save, load
b = save(nn.Linear(3, 4).state_dict())
for damaged in (b[:6], b[:30], b'{"x": 1}' + b[8:]):
    try:
        load(damaged)
    except SafetensorError as e:
        print(e)
try:
    nn.Linear(3, 5).load_state_dict(load(b))
except RuntimeError as e:
    print(str(e).splitlines()[1].strip())
try:
    torch.save(nn.Linear(3, 4).state_dict(), 'model.pt')
except NotImplementedError as e:
    print(e)
`);
  assert.equal(r.error, null, String(r.error));
  assert.match(r.lines[0], /^load: this is not a safetensors file: it has 6 bytes/);
  assert.match(r.lines[1], /^load: the file is truncated/);
  assert.match(r.lines[2], /^load: (this is not a safetensors file|the file is truncated|the header is not valid JSON)/);
  assert.equal(r.lines[3], 'size mismatch for weight: copying a param with shape torch.Size([4, 3]) from checkpoint, the shape in current model is torch.Size([5, 3]).');
  assert.match(r.lines[4], /^torch\.save is not available .*safetensors.*download\('model\.safetensors', save\(model\.state_dict\(\)\)\)/);
});

test('text and file knobs: declared in JavaScript and Python alike; a file becomes { name, size, bytes, text() }', () => {
  const js = parseKnobs("const pairs = knob('pairs', 'one 1\\ntwo 2', { kind: 'text', rows: 6 });\nconst f = knob('model', null, { kind: 'file', accept: '.safetensors' });");
  assert.deepEqual(js.problems, []);
  assert.deepEqual(js.knobs.map(({ line, ...k }) => k), [
    { label: 'pairs', kind: 'text', value: 'one 1\ntwo 2', rows: 6 },
    { label: 'model', kind: 'file', value: null, accept: '.safetensors' },
  ]);
  const python = parsePythonKnobs("pairs = knob('pairs', 'one 1\\ntwo 2', kind='text', rows=6)\nf = knob('model', None, kind='file', accept='.safetensors')");
  assert.deepEqual(python.problems, []);
  assert.deepEqual(python.knobs.map(({ line, ...k }) => k), js.knobs.map(({ line, ...k }) => k));
  // a default of several lines is a text area without asking
  assert.equal(describeKnob('t', 'a\nb').rows, 3);
  assert.equal(describeKnob('t', 'a\nb\nc\nd\ne').rows, 5);
  assert.equal(describeKnob('t', 'a', { kind: 'text' }).rows, 3);
  assert.equal(describeKnob('t', 'abc').rows, undefined);
  assert.throws(() => describeKnob('f', 'x', { kind: 'file' }), /a file knob's value is null/);
  assert.throws(() => describeKnob('t', 3, { kind: 'text' }), /a text knob's value must be a string/);
  assert.throws(() => describeKnob('t', 'x', { kind: 'image' }), /kind must be 'text' or 'file'/);
  assert.throws(() => describeKnob('t', 'x'.repeat(MAX_TEXT_KNOB_CHARS + 1), { kind: 'text' }), /at most 8000 characters/);
  // what a link or a saved edit brings to a file knob is never a file
  const fileKnob = describeKnob('model', null, { kind: 'file' });
  assert.equal(knobValue(fileKnob, 'model.safetensors'), null);
  assert.equal(knobValue(fileKnob, undefined), null);
  const bytes = new TextEncoder().encode('하나 1\n둘 2');
  const knob = makeKnobFunction({ model: { name: 'pairs.txt', size: bytes.length, bytes }, pairs: 'x\ny' });
  const f = knob('model', null, { kind: 'file' });
  assert.equal(f.name, 'pairs.txt');
  assert.equal(f.size, bytes.length);
  assert.equal(f.text(), '하나 1\n둘 2');
  assert.equal(knob('pairs', 'a\nb', { kind: 'text', rows: 4 }), 'x\ny');
  assert.equal(makeKnobFunction({})('model', null, { kind: 'file' }), null);
});

test('download(): names cleaned, types from a short list, sizes and counts capped, and the page refuses what breaks them', () => {
  assert.equal(sanitizeFileName('../../etc/passwd'), 'passwd');
  assert.equal(sanitizeFileName('C:\\Users\\a\\model.safetensors'), 'model.safetensors');
  assert.equal(sanitizeFileName('.bashrc'), 'bashrc');
  assert.equal(sanitizeFileName('a<b>:c?.txt\u0000'), 'a_b__c_.txt');
  assert.equal(sanitizeFileName('   '), 'download');
  const long = sanitizeFileName(`${'x'.repeat(300)}.safetensors`);
  assert.equal(long.length, DOWNLOAD_LIMITS.nameChars);
  assert.ok(long.endsWith('.safetensors'));
  const text = downloadItem('pairs.csv', 'a,1\n', { type: 'text/csv' });
  assert.deepEqual([text.name, text.type, Array.from(text.bytes)], ['pairs.csv', 'text/csv', [97, 44, 49, 10]]);
  assert.equal(downloadItem('p.txt', '가').bytes.length, 3);
  assert.throws(() => downloadItem('x.html', '<script>', { type: 'text/html' }), /type must be one of/);
  assert.throws(() => downloadItem('', 'x'), /the first argument is the file's name/);
  assert.throws(() => downloadItem('big.bin', new Uint8Array(DOWNLOAD_LIMITS.bytes + 1)), /more than a cell may hand over \(16 MB\)/);
  // a run hands over at most DOWNLOAD_LIMITS.count files; each goes out at once
  const sent = [];
  const g = makeCellGlobals({ outbox: new Outbox((items) => sent.push(...items)) });
  for (let i = 0; i < DOWNLOAD_LIMITS.count; i++) g.download(`f${i}.txt`, 'x');
  assert.throws(() => g.download('one-more.txt', 'x'), /at most 8 files/);
  assert.equal(sent.filter((it) => it.kind === 'download').length, DOWNLOAD_LIMITS.count);
  // the page checks what a worker sends
  const message = (item) => ({ type: 'output', items: [item] });
  assert.equal(readWorkerMessage(message({ kind: 'download', name: '../x.txt', type: 'text/plain', bytes: new Uint8Array(2) })).items[0].name, 'x.txt');
  assert.throws(() => readWorkerMessage(message({ kind: 'download', name: 'x', type: 'text/html', bytes: new Uint8Array(2) })), /malformed message \(file type text\/html\)/);
  assert.throws(() => readWorkerMessage(message({ kind: 'download', name: 'x', type: 'text/plain', bytes: [1, 2] })), /a file without bytes/);
});
