#!/usr/bin/env node
// A tiny static file server for the built site, with no dependencies.
//   node web/tools/serve.mjs web/dist [--port N]     (default 8080, or $PORT)
// If the port is taken, the next free one is used. Tests import startServer()
// and pass port 0 to get any free port.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm', // WebAssembly.compileStreaming insists on this
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

const MAX_PORT_TRIES = 20;

export function contentType(filePath) {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

// Maps a request path to a file under root, or null if it would leave root.
export function resolveRequestPath(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null; // malformed percent-encoding
  }
  if (decoded.includes('\0')) return null;
  const relative = path.posix.normalize('/' + decoded.replace(/\\/g, '/'));
  const full = path.join(root, relative);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  return full;
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

function handler(root, { cors }) {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    let file = resolveRequestPath(root, req.url ?? '/');
    if (file === null) {
      send(res, 403, 'Forbidden\n');
      return;
    }
    fs.stat(file, (err, stat) => {
      if (!err && stat.isDirectory()) {
        if (!req.url.split('?')[0].endsWith('/')) {
          // Relative URLs in index.html need the trailing slash.
          res.writeHead(301, { Location: req.url.replace(/^([^?]*)/, '$1/') });
          res.end();
          return;
        }
        file = path.join(file, 'index.html');
      }
      fs.stat(file, (err2, stat2) => {
        if (err2 || !stat2.isFile()) {
          send(res, 404, 'Not found\n');
          return;
        }
        res.writeHead(200, {
          'Content-Type': contentType(file),
          'Content-Length': stat2.size,
          'Cache-Control': 'no-cache',
          // Public static files: pages that still load gradlab-embed.js as a module
          // script (which browsers fetch with CORS) keep working. The plain script
          // of README's snippets needs no such header.
          ...(cors ? { 'Access-Control-Allow-Origin': '*' } : {}),
        });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        fs.createReadStream(file).pipe(res);
      });
    });
  };
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(server.address().port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Serves `root` over HTTP, on this machine only unless `host` says otherwise
 * (host '0.0.0.0' serves a classroom network). `cors: false` sends no CORS header,
 * as many static hosts do (the tests embed from such a server).
 * Resolves to { port, url, close() }; close() resolves once the server is down.
 */
export async function startServer({ root, port = 8080, host = '127.0.0.1', cors = true } = {}) {
  if (!root) throw new Error('startServer: root folder is required');
  const absRoot = path.resolve(root);
  if (!fs.existsSync(absRoot) || !fs.statSync(absRoot).isDirectory()) {
    throw new Error(`startServer: ${absRoot} is not a folder`);
  }
  const server = http.createServer(handler(absRoot, { cors }));
  let tryPort = port;
  for (let attempt = 0; ; attempt++) {
    try {
      const boundPort = await listen(server, tryPort, host);
      return {
        port: boundPort,
        url: `http://localhost:${boundPort}/`,
        close: () =>
          new Promise((resolve) => {
            server.closeAllConnections?.();
            server.close(() => resolve());
          }),
      };
    } catch (err) {
      if (err.code !== 'EADDRINUSE' || tryPort === 0 || attempt + 1 >= MAX_PORT_TRIES) throw err;
      tryPort += 1;
    }
  }
}

function parseArgs(argv) {
  const args = { root: null, port: Number(process.env.PORT) || 8080, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port' || a === '-p') args.port = Number(argv[++i]);
    else if (a.startsWith('--port=')) args.port = Number(a.slice('--port='.length));
    else if (a === '--host') args.host = argv[++i];
    else if (a === '--help' || a === '-h') args.help = true;
    else args.root = a;
  }
  return args;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || !args.root) {
    console.log('usage: node web/tools/serve.mjs <folder> [--port N] [--host 0.0.0.0]   (default port 8080, or $PORT)');
    process.exit(args.help ? 0 : 1);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    console.error(`serve: bad port ${args.port}`);
    process.exit(1);
  }
  try {
    const { url } = await startServer({ root: args.root, port: args.port, host: args.host });
    console.log(`gradlab is being served at ${url}`);
  } catch (err) {
    console.error(`serve: ${err.message}`);
    process.exit(1);
  }
}
