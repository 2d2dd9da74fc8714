// How print(...) shows values: shapes as [32, 20], tensors through their own
// String(), everything else short and readable. Pure; no DOM, no engine.

const MAX_ITEMS = 100;
const MAX_DEPTH = 4;

function hasOwnToString(value) {
  // Tensors (and other classes) that say how they want to be printed.
  for (let p = Object.getPrototypeOf(value); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, 'toString')) return true;
  }
  return false;
}

function formatNumber(n) {
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

function formatList(items, depth, seen, prefix = '') {
  const shown = Array.from(items.slice(0, MAX_ITEMS), (v) => formatNested(v, depth + 1, seen));
  if (items.length > MAX_ITEMS) shown.push(`... ${items.length - MAX_ITEMS} more`);
  return `${prefix}[${shown.join(', ')}]`;
}

function formatNested(value, depth, seen) {
  if (typeof value === 'string') return JSON.stringify(value);
  return formatAny(value, depth, seen);
}

function formatAny(value, depth, seen) {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return formatNumber(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'boolean':
    case 'symbol':
      return String(value);
    case 'function':
      return value.name ? `[function ${value.name}]` : '[function]';
  }
  if (value === null) return 'null';
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[...]' : '{...}';
  seen.add(value);
  try {
    if (Array.isArray(value)) return formatList(value, depth, seen);
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const shown = Array.from(value.subarray(0, MAX_ITEMS), (v) => formatAny(v, depth + 1, seen));
      if (value.length > MAX_ITEMS) shown.push(`... ${value.length - MAX_ITEMS} more`);
      return `${value.constructor.name}(${value.length}) [${shown.join(', ')}]`;
    }
    if (value instanceof Map) {
      const entries = [...value].map(([k, v]) => `${formatNested(k, depth + 1, seen)} => ${formatNested(v, depth + 1, seen)}`);
      return `Map(${value.size}) {${entries.length ? ` ${entries.join(', ')} ` : ''}}`;
    }
    if (value instanceof Set) return formatList([...value], depth, seen, `Set(${value.size}) `);
    if (hasOwnToString(value)) return String(value);
    const keys = Object.keys(value);
    const name = value.constructor && value.constructor !== Object ? `${value.constructor.name} ` : '';
    if (keys.length === 0) return `${name}{}`;
    const fields = keys.slice(0, MAX_ITEMS).map((k) => {
      const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
      return `${key}: ${formatNested(value[k], depth + 1, seen)}`;
    });
    if (keys.length > MAX_ITEMS) fields.push(`... ${keys.length - MAX_ITEMS} more`);
    return `${name}{ ${fields.join(', ')} }`;
  } finally {
    seen.delete(value);
  }
}

/** One value as print() shows it. */
export function formatValue(value) {
  return formatAny(value, 0, new Set());
}

/** print(a, b, c): the values separated by single spaces, like console.log. */
export function formatPrintArgs(args) {
  return args.map(formatValue).join(' ');
}

// Where an error is, in English; a page in another language passes its own words.
const ENGLISH = {
  at: (line, column) => (column != null ? `line ${line}, col ${column}` : `line ${line}`),
  calledFrom: (fn, line) => `called from ${fn ? `${fn} ` : ''}(line ${line})`,
};

/**
 * An error from the reader's code ({ name, message, line, column, trace }) as
 * the console shows it: "SyntaxError: Unexpected token (line 7, col 4)".
 */
export function formatExperimentError(err, words = ENGLISH) {
  let text = `${err.name}: ${err.message}`;
  if (err.line != null) text += ` (${words.at(err.line, err.column)})`;
  for (const f of err.trace ?? []) text += `\n    ${words.calledFrom(f.fn, f.line)}`;
  return text;
}
