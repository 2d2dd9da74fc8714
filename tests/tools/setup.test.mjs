// web/tools/setup.sh must fail when a build fails, with the compiler's message,
// instead of going on with the binaries of an earlier build. A stand-in `cmake`
// first on the PATH fails every build step; everything else is the real thing
// (this runs after `npm test`'s own set-up, so the packages and build folders exist).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('a failed engine build fails setup.sh with the compiler\'s message, before the site is built', () => {
  assert.ok(fs.existsSync(path.join(repoRoot, 'build/wasm/build.ninja')), 'run web/tools/setup.sh once first');
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'gradlab-fake-cmake-'));
  try {
    fs.writeFileSync(
      path.join(bin, 'cmake'),
      '#!/bin/sh\n' +
        'if [ "$1" = "--build" ]; then\n' +
        '  echo "[1/2] Building CXX object engine.o"\n' +
        '  echo "engine/src/core/tensor.cpp:1:1: error: the compiler failed on purpose" >&2\n' +
        '  exit 3\n' +
        'fi\n' +
        'exec /usr/bin/cmake "$@"\n',
      { mode: 0o755 },
    );
    const run = spawnSync('bash', ['web/tools/setup.sh'], {
      cwd: repoRoot,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = run.stdout + run.stderr;
    assert.equal(run.status, 3, `setup.sh exited ${run.status}:\n${output}`);
    assert.match(output, /the compiler failed on purpose/);
    assert.match(output, /the build in build\/wasm failed/);
    assert.doesNotMatch(output, /\[1\/2\]/, 'ninja\'s progress lines are left out');
    assert.doesNotMatch(output, /building the site/);
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
});
