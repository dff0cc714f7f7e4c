// The default theme's search folding against tests/folding-cases.json, the same
// cases Signpost's index must pass (src/slug.rs), so that what a reader types
// folds as the words it should find. Needs Node only, no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const ROOT = path.join(import.meta.dirname, '../..');
const SCRIPT = fs.readFileSync(path.join(ROOT, 'themes/default/static/js/signpost.js'), 'utf8');
const { cases } = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/folding-cases.json'), 'utf8'));

/// `fold` from the script itself: its source, from `function fold(` to the brace
/// that closes it, run on its own. The script keeps it private, and adding a
/// global only for this test would cost bytes of its 10 KB budget.
function loadFold() {
  const start = SCRIPT.indexOf('function fold(');
  assert.ok(start >= 0, 'signpost.js has a function fold');
  let depth = 0;
  for (let i = SCRIPT.indexOf('{', start); i < SCRIPT.length; i++) {
    if (SCRIPT[i] === '{') depth++;
    else if (SCRIPT[i] === '}' && --depth === 0) {
      // A fresh context: fold must need nothing else from the script or a page.
      return vm.runInNewContext(`(${SCRIPT.slice(start, i + 1)})`);
    }
  }
  throw new Error('unbalanced braces in fold');
}

test('the script folds every shared case as the index does', () => {
  const fold = loadFold();
  assert.ok(cases.length > 0);
  for (const [text, folded] of cases) {
    assert.equal(fold(text), folded, JSON.stringify(text));
  }
});
