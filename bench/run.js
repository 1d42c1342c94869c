#!/usr/bin/env node
// Runs every benchmark in this folder, one after another, each in its own process so peak memory
// figures are its own. `npm run bench -- --quick` passes --quick to each for a short run.
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const passthrough = process.argv.slice(2).filter((a) => a.startsWith('--'))
const order = ['startup', 'import', 'serve', 'recompute', 'reports', 'pull']
const found = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.js') && f !== 'run.js' && f !== 'pg-cluster.js')
  .map((f) => f.replace(/\.js$/, ''))
  .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99))
const selected = only.length > 0 ? found.filter((name) => only.includes(name)) : found

let failed = 0
for (const name of selected) {
  console.log(`\n=== bench/${name} ===`)
  const result = spawnSync(process.execPath, ['--expose-gc', path.join(here, `${name}.js`), ...passthrough], {stdio: 'inherit'})
  if (result.status !== 0) {
    failed++
    console.log(`bench/${name} exited ${result.status}`)
  }
}
process.exit(failed ? 1 : 0)
