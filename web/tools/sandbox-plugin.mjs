// A Vite plugin for the sandbox frame (web/src/runner/sandbox-frame.js): the
// frame's script and policy as `virtual:gradlab-sandbox` for sandbox.js, and
// the script's hash in the pages' Content-Security-Policy. A srcdoc frame
// inherits the policy of the page that made it, so the page's policy must name
// the frame's inline script (by hash) and allow what the frame's workers need
// (blob: workers and scripts, eval for the reader's code and Embind); the
// frame adds its own, which takes the network away.
import crypto from 'node:crypto';
import fs from 'node:fs';

const VIRTUAL = 'virtual:gradlab-sandbox';
const PLACEHOLDER = "'sandbox-script-hash'";

export const framePolicy = (scriptHash) =>
  `default-src 'none'; script-src ${scriptHash} 'unsafe-eval' 'wasm-unsafe-eval' blob:; worker-src blob:; ` +
  "connect-src blob:; img-src 'none'; style-src 'none'; base-uri 'none'; form-action 'none'";

export const scriptHash = (text) => `'sha256-${crypto.createHash('sha256').update(text).digest('base64')}'`;

export default function sandbox({ frameScript }) {
  const read = () => fs.readFileSync(frameScript, 'utf8');
  return {
    name: 'gradlab-sandbox',
    resolveId(id) {
      return id === VIRTUAL ? `\0${VIRTUAL}` : null;
    },
    load(id) {
      if (id !== `\0${VIRTUAL}`) return null;
      this.addWatchFile(frameScript);
      const script = read();
      return `export const script = ${JSON.stringify(script)};\nexport const policy = ${JSON.stringify(framePolicy(scriptHash(script)))};\n`;
    },
    transformIndexHtml(html) {
      if (!html.includes(PLACEHOLDER)) throw new Error(`sandbox-plugin: a page's policy lacks ${PLACEHOLDER}`);
      return html.replaceAll(PLACEHOLDER, scriptHash(read()));
    },
  };
}
