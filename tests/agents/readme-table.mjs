// SPDX-License-Identifier: GPL-3.0-or-later
// Puts the compatibility table `make agents` wrote into the README, between the lines
// <!-- agents-table:begin --> and <!-- agents-table:end -->, and leaves the rest untouched.
// Usage: node readme-table.mjs TABLE.md README.md
import fs from 'node:fs';

const [tableFile, readmeFile] = process.argv.slice(2);
if (!tableFile || !readmeFile) {
  console.error('usage: node readme-table.mjs TABLE.md README.md');
  process.exit(2);
}
if (!fs.existsSync(tableFile)) {
  console.error(`readme-table: ${tableFile} is missing; run make agents first`);
  process.exit(1);
}
const begin = '<!-- agents-table:begin -->';
const end = '<!-- agents-table:end -->';
const readme = fs.readFileSync(readmeFile, 'utf8');
const from = readme.indexOf(begin);
const to = readme.indexOf(end);
if (from < 0 || to < from) {
  console.error(`readme-table: ${readmeFile} has no ${begin} … ${end} section`);
  process.exit(1);
}
const table = fs.readFileSync(tableFile, 'utf8').trim();
const updated = `${readme.slice(0, from + begin.length)}\n${table}\n${readme.slice(to)}`;
if (updated === readme) {
  console.log(`readme-table: ${readmeFile} already holds this table`);
} else {
  fs.writeFileSync(readmeFile, updated);
  console.log(`readme-table: ${readmeFile} updated from ${tableFile}`);
}
