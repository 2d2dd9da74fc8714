// Bytes a cell hands to the reader: download(name, bytes | text, { type }) in the reader's code
// (JavaScript and Python). Reader code is untrusted and runs in the sandbox, which has no
// network and no page: it cannot save a file by itself. What it hands over travels to the
// page as an output item { kind: 'download', name, type, bytes }, and the page shows a button
// ("Save: name (12.3 KB)"); only the reader's click saves it. Names are cleaned here and again
// by the page (messages.js), types come from a short list, and a run may hand over at most
// DOWNLOAD_LIMITS.count files of at most DOWNLOAD_LIMITS.bytes bytes each. Pure: no DOM.

export const DOWNLOAD_LIMITS = Object.freeze({
  count: 8,
  bytes: 16 * 1024 * 1024,
  nameChars: 100,
});

// The types a saved file may say it is; anything else is saved as plain bytes.
export const DOWNLOAD_TYPES = Object.freeze(['application/octet-stream', 'text/plain', 'text/csv', 'application/json']);

/**
 * A file name that is safe to save under: no folders, no control or reserved characters, no
 * leading dots, at most DOWNLOAD_LIMITS.nameChars characters (the extension kept); 'download'
 * when nothing is left.
 */
export function sanitizeFileName(name) {
  let s = String(name ?? '')
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/.*[/\\]/, '') // the last part of a path
    .replace(/[<>:"|?*]/g, '_')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if (s.length > DOWNLOAD_LIMITS.nameChars) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
    s = s.slice(0, DOWNLOAD_LIMITS.nameChars - ext.length) + ext;
  }
  return s || 'download';
}

const isType = (t) => DOWNLOAD_TYPES.includes(t);

/**
 * The output item for download(name, data, { type }); data is a Uint8Array (or any typed
 * array or ArrayBuffer) or a string (saved as UTF-8). Throws a TypeError or RangeError that
 * names what is wrong.
 */
export function downloadItem(name, data, options = {}) {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`download: the first argument is the file's name, such as 'model.safetensors', got ${JSON.stringify(name) ?? typeof name}`);
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError("download: options must be an object such as { type: 'text/csv' }");
  let bytes;
  let type = options.type;
  if (typeof data === 'string') {
    bytes = new TextEncoder().encode(data);
    type ??= 'text/plain';
  } else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data.slice(0));
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  else throw new TypeError(`download('${name}'): the data must be a string or bytes (a Uint8Array, such as gl.save(model) gives), got ${data === null ? 'null' : typeof data}`);
  type ??= 'application/octet-stream';
  if (typeof type !== 'string') throw new TypeError(`download('${name}'): type must be a string such as 'text/csv'`);
  if (!isType(type)) throw new TypeError(`download('${name}'): type must be one of ${DOWNLOAD_TYPES.join(', ')}, got ${JSON.stringify(type)}`);
  if (bytes.length > DOWNLOAD_LIMITS.bytes) {
    throw new RangeError(`download('${name}'): ${bytes.length} bytes is more than a cell may hand over (${DOWNLOAD_LIMITS.bytes / 1024 / 1024} MB)`);
  }
  return { kind: 'download', name: sanitizeFileName(name), type, bytes };
}

/** "12.3 KB": a file's size as people read it. */
export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
