// Turns the reader's experiment code into a callable async function, and maps
// errors back to the reader's own line numbers. No DOM, no engine: runs in the
// worker and in plain Node alike.
import { parse } from 'acorn';

// Name the reader's code carries in stack traces.
export const SOURCE_NAME = 'experiment.js';

// What the reader's code sees besides the worker's globals, in parameter order.
export const READER_PARAMS = ['gl', 'print', 'plot', 'console', 'knob', 'progress', 'download', 'seed', 'parallel'];

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
const SOURCE_URL_COMMENT = `\n//# sourceURL=${SOURCE_NAME}`;

/**
 * An error located in the reader's code; line and column are 1-based. hint names a cause the
 * page explains in its own language ('python' here; the sandbox's causes in worker.js).
 */
export class ExperimentError extends Error {
  constructor(name, message, { line = null, column = null, trace = [], hint = undefined } = {}) {
    super(message);
    this.name = name;
    this.line = line;
    this.column = column;
    this.trace = trace; // outer reader frames: [{ fn, line, column }]
    this.hint = hint;
  }
}

// Lines only Python writes (a JS import names a module in quotes; JS blocks open with '{').
const PYTHON_LINES = [
  /^\s*import\s+[A-Za-z_][\w.]*(\s+as\s+\w+)?(\s*,\s*[A-Za-z_][\w.]*(\s+as\s+\w+)?)*\s*(#.*)?$/,
  /^\s*from\s+[\w.]+\s+import\s+/,
  /^\s*(async\s+)?def\s+\w+\s*\(.*\)\s*(->.*)?:\s*(#.*)?$/,
  /^\s*class\s+\w+\s*(\(.*\))?\s*:\s*(#.*)?$/,
  /^\s*(if|elif|else|for|while|with|try|except|finally)\b.*:\s*(#.*)?$/,
];
// Names a Python snippet uses that a JS cell does not have: "torch is not defined".
const PYTHON_NAMES = /^(torch|nn|F|np|numpy|optim|range|len|True|False|None)$/;

/** The 1-based line of the first line only Python would write, or null. */
export function pythonLine(code) {
  const lines = code.split('\n');
  const i = lines.findIndex((text) => PYTHON_LINES.some((p) => p.test(text)));
  return i < 0 ? null : i + 1;
}

// The line says what was seen; the page adds, in its language, where the gl names are.
function pythonError(code, line) {
  const text = code.split('\n')[line - 1].trim().slice(0, 60);
  return new ExperimentError('SyntaxError', `this is a JavaScript cell, and '${text}' is Python: write it with gl, the lab's JavaScript API (torch.zeros(3) is gl.zeros([3]))`, {
    line, column: 1, hint: 'python',
  });
}

/**
 * Parses the code the way it will run (a script whose top level may `await`)
 * and returns an ExperimentError for the first syntax error, or null.
 */
export function checkSyntax(code) {
  try {
    const ast = parse(code, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      locations: true,
    });
    const load = findImportExpression(ast);
    if (load) {
      return new ExperimentError('SyntaxError', "'import()' is not available in an experiment: it runs without a network, and the engine is already here as gl", {
        line: load.loc.start.line,
        column: load.loc.start.column + 1,
      });
    }
    return null;
  } catch (err) {
    if (!(err instanceof SyntaxError) || !err.loc) throw err;
    const python = pythonLine(code);
    if (python !== null) return pythonError(code, python);
    // acorn appends " (line:col)" with a 0-based column; say it in words instead.
    let message = err.message.replace(/\s*\(\d+:\d+\)$/, '');
    if (/'import' and 'export'/.test(message)) {
      message = "'import' and 'export' are not available in an experiment; the engine is already here as gl";
    }
    return new ExperimentError('SyntaxError', message, {
      line: err.loc.line,
      column: err.loc.column + 1,
    });
  }
}

function findImportExpression(node) {
  if (!node || typeof node.type !== 'string') return null;
  if (node.type === 'ImportExpression') return node;
  for (const key of Object.keys(node)) {
    if (key === 'loc') continue;
    const child = node[key];
    for (const c of Array.isArray(child) ? child : [child]) {
      if (c && typeof c.type === 'string') {
        const found = findImportExpression(c);
        if (found) return found;
      }
    }
  }
  return null;
}

// The code goes in a block of its own, so that it may declare a name of its
// own over a global (`const seed = 3`, `let plot`) as a script could.
// wrapperLineOffset() measures the lines this puts in front.
function wrap(code) {
  return new AsyncFunction(...READER_PARAMS, `{\n${code}\n}${SOURCE_URL_COMMENT}`);
}

// Frames of the reader's code in a V8 or SpiderMonkey/JSC stack.
const FRAME_PATTERNS = [
  // V8: "    at fn (experiment.js:12:5)" or "    at experiment.js:12:5"
  new RegExp(String.raw`^\s*at (?:(?:async )?(.*?) \()?${SOURCE_NAME.replace('.', '\\.')}:(\d+):(\d+)\)?\s*$`),
  // Firefox/Safari: "fn@experiment.js:12:5"
  new RegExp(String.raw`^(.*?)@${SOURCE_NAME.replace('.', '\\.')}:(\d+):(\d+)\s*$`),
];

/** Reader frames in a stack, innermost first, in wrapper coordinates. */
export function readerFrames(stack) {
  if (typeof stack !== 'string') return [];
  const frames = [];
  for (const text of stack.split('\n')) {
    for (const pattern of FRAME_PATTERNS) {
      const m = pattern.exec(text);
      if (m) {
        frames.push({ fn: m[1] || null, line: Number(m[2]), column: Number(m[3]) });
        break;
      }
    }
  }
  return frames;
}

let lineOffsetPromise = null;

/**
 * How many lines the Function wrapper puts before the reader's first line
 * (2 in V8 today). Measured once by throwing from line 1, so that a browser
 * with a different wrapper still gets the right lines.
 */
export function wrapperLineOffset() {
  lineOffsetPromise ??= (async () => {
    try {
      await wrap('throw new Error("probe");')();
    } catch (err) {
      const [frame] = readerFrames(err.stack);
      if (frame) return frame.line - 1;
    }
    return 2;
  })();
  return lineOffsetPromise;
}

/**
 * Compiles reader code into an async function of READER_PARAMS.
 * Throws an ExperimentError (with the reader's line) on a syntax error.
 */
export function compileExperiment(code) {
  const syntaxError = checkSyntax(code);
  if (syntaxError) throw syntaxError;
  try {
    return wrap(code);
  } catch (err) {
    // acorn accepted it but the engine did not: no position to give.
    throw new ExperimentError(err.name || 'SyntaxError', err.message);
  }
}

/**
 * Converts anything the reader's code threw into an ExperimentError whose
 * line and column point into the reader's code (the innermost reader frame).
 */
export function locateError(thrown, lineOffset) {
  if (thrown instanceof ExperimentError) return thrown;
  const isError = thrown instanceof Error || (thrown && typeof thrown.stack === 'string');
  const name = isError ? thrown.name || 'Error' : 'Error';
  const message = isError ? String(thrown.message) : describeThrown(thrown);
  const frames = isError ? readerFrames(thrown.stack) : [];
  const toReader = (f) => ({
    fn: f.fn && !/^(anonymous|eval)$/.test(f.fn) ? f.fn : null,
    line: f.line - lineOffset,
    column: f.column,
  });
  const located = frames.map(toReader).filter((f) => f.line >= 1);
  const [top, ...outer] = located;
  const undefinedName = name === 'ReferenceError' ? /^(\S+) is not defined$/.exec(message)?.[1] : null;
  return new ExperimentError(name, message, {
    line: top?.line ?? null,
    column: top?.column ?? null,
    trace: outer,
    hint: undefinedName && PYTHON_NAMES.test(undefinedName) ? 'python' : undefined,
  });
}

function describeThrown(value) {
  if (typeof value === 'string') return value;
  try {
    return `uncaught ${JSON.stringify(value)}`;
  } catch {
    return `uncaught ${String(value)}`;
  }
}
