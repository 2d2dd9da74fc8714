// The safetensors format (Hugging Face's; PyTorch reads it with `safetensors.torch.load_file`):
// the one place in the lab that writes and reads its bytes. gl.save / gl.load (state-dict.js)
// and Python's `safetensors.torch` (web/src/python/safetensors) both call these two functions.
//
//   bytes 0..7     N, the header's length: an unsigned 64-bit little-endian integer
//   bytes 8..8+N   the header: UTF-8 JSON, { name: { dtype, shape, data_offsets: [begin, end] },
//                  "__metadata__": { key: string } }, padded with spaces to a multiple of 8
//   the rest       the tensors' raw little-endian values, row-major; offsets count from here,
//                  and the ranges cover it exactly (no gap, no overlap)
//
// The engine computes in float32: F32 is read and written as is; I64 (PyTorch's int64) and
// BOOL are read and written as numbers (whole numbers exact up to 2^24), so a Python int64 or
// bool tensor keeps its dtype. Any other dtype (F16, BF16, F64, ...) is refused by name.
// A file read here is untrusted (it comes from a file knob): every number in the header is
// checked before it is used. Pure: no engine, no DOM.

export const DTYPES = Object.freeze({ F32: 4, I64: 8, BOOL: 1 });
// The reference implementation refuses headers past 100 MB; a lab file is far smaller.
export const MAX_HEADER_BYTES = 100_000_000;

export class SafetensorsError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

// Every message names the call first ('load: …'); error-catalog.js has them in Korean.
function fail(who, message) {
  const text = `${who}: ${message}`;
  throw new SafetensorsError(text);
}
const numel = (shape) => shape.reduce((n, d) => n * d, 1);
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The bytes of a safetensors file.
 *   tensors   [[name, { dtype: 'F32' | 'I64' | 'BOOL', shape: [..], data: numbers (array or typed array) }], ...]
 *             in the order they are written
 *   metadata  { key: string } or undefined: the header's __metadata__
 */
export function encodeSafetensors(tensors, metadata, who = 'save') {
  const header = {};
  if (metadata !== undefined && metadata !== null) {
    if (!isPlainObject(metadata)) fail(who, `metadata must be an object of strings, got ${typeof metadata}`);
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') fail(who, `metadata '${k}' must be a string, got ${typeof v}`);
    header.__metadata__ = { ...metadata };
  }
  let offset = 0;
  const parts = [];
  const seen = new Set();
  for (const [name, { dtype, shape, data }] of tensors) {
    if (typeof name !== 'string' || name === '' || name === '__metadata__') fail(who, `a tensor cannot be named ${JSON.stringify(name)}`);
    if (seen.has(name)) fail(who, `two tensors are named '${name}'`);
    seen.add(name);
    if (!Object.hasOwn(DTYPES, dtype)) fail(who, `tensor '${name}' has dtype ${dtype}; the lab writes ${Object.keys(DTYPES).join(', ')}`);
    const n = numel(shape);
    if (data.length !== n) fail(who, `tensor '${name}' has ${data.length} values for shape [${shape.join(', ')}]`);
    const size = n * DTYPES[dtype];
    header[name] = { dtype, shape: [...shape], data_offsets: [offset, offset + size] };
    parts.push({ dtype, data, offset });
    offset += size;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad) headerBytes = encoder.encode(json + ' '.repeat(pad));
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const base = 8 + headerBytes.length;
  for (const { dtype, data, offset: at } of parts) {
    const start = base + at;
    for (let i = 0; i < data.length; i++) {
      const v = Number(data[i]);
      if (dtype === 'F32') view.setFloat32(start + 4 * i, v, true);
      else if (dtype === 'I64') view.setBigInt64(start + 8 * i, BigInt(Math.trunc(Number.isFinite(v) ? v : 0)), true);
      else view.setUint8(start + i, v ? 1 : 0);
    }
  }
  return out;
}

/** The bytes of a file as a Uint8Array (from a Uint8Array, any typed array or an ArrayBuffer), or throws. */
export function asBytes(bytes, who = 'load') {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return fail(who, `expected the file's bytes (a Uint8Array, e.g. a file knob's .bytes or what gl.save returned), got ${bytes === null ? 'null' : typeof bytes}`);
}

/**
 * The tensors of a safetensors file: { tensors: [[name, { dtype, shape, data: Float32Array }], ...]
 * in the order of their data, metadata: { key: string } or null }. Throws a SafetensorsError
 * naming the first thing wrong.
 */
export function decodeSafetensors(input, who = 'load') {
  const bytes = asBytes(input, who);
  if (bytes.length < 8) fail(who, `this is not a safetensors file: it has ${bytes.length} bytes, fewer than the 8 that give its header's length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(who, `this is not a safetensors file: its first 8 bytes give a header of ${n} bytes`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) {
    fail(who, `the file is truncated: its header should take ${headerLength} bytes after the first 8, but the file has ${bytes.length} bytes in all`);
  }
  let header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (err) {
    fail(who, `the header is not valid JSON (${err.message}); is this a safetensors file?`);
  }
  if (!isPlainObject(header)) fail(who, 'the header must be a JSON object of tensors');
  const base = 8 + headerLength;
  const dataLength = bytes.length - base;
  let metadata = null;
  const entries = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isPlainObject(info) || !Object.values(info).every((v) => typeof v === 'string')) fail(who, '__metadata__ must be an object of strings');
      metadata = { ...info };
      continue;
    }
    if (!isPlainObject(info)) fail(who, `the header's entry for '${name}' is not an object`);
    const { dtype, shape, data_offsets: range } = info;
    if (typeof dtype !== 'string') fail(who, `tensor '${name}' has no dtype`);
    if (!Object.hasOwn(DTYPES, dtype)) {
      fail(who, `tensor '${name}' has dtype ${dtype}; the lab reads ${Object.keys(DTYPES).join(', ')} (in PyTorch, save model.float() for float32)`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(who, `tensor '${name}' has a bad shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(range) || range.length !== 2 || !range.every((d) => Number.isSafeInteger(d) && d >= 0) || range[0] > range[1]) {
      fail(who, `tensor '${name}' has bad data_offsets ${JSON.stringify(range)}`);
    }
    const count = numel(shape);
    if (range[1] - range[0] !== count * DTYPES[dtype]) {
      fail(who, `tensor '${name}' (${dtype}, shape [${shape.join(', ')}]) needs ${count * DTYPES[dtype]} bytes, but its data_offsets give ${range[1] - range[0]}`);
    }
    if (range[1] > dataLength) {
      fail(who, `the file is truncated: tensor '${name}' ends at byte ${range[1]} of the data, which has ${dataLength} bytes`);
    }
    entries.push({ name, dtype, shape, range, count });
  }
  entries.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let end = 0;
  for (const e of entries) {
    if (e.range[0] < end) fail(who, `tensor '${e.name}' overlaps the tensor before it`);
    if (e.range[0] > end) fail(who, `the data has a gap before tensor '${e.name}' (bytes ${end} to ${e.range[0]})`);
    end = e.range[1];
  }
  if (end !== dataLength) fail(who, `the file has ${dataLength - end} bytes after its last tensor`);
  const tensors = entries.map(({ name, dtype, shape, range, count }) => {
    const data = new Float32Array(count);
    const at = base + range[0];
    for (let i = 0; i < count; i++) {
      if (dtype === 'F32') data[i] = view.getFloat32(at + 4 * i, true);
      else if (dtype === 'I64') data[i] = Number(view.getBigInt64(at + 8 * i, true));
      else data[i] = view.getUint8(at + i) ? 1 : 0;
    }
    return [name, { dtype, shape: [...shape], data }];
  });
  return { tensors, metadata };
}
