// Runs after `npm install`: checks what the project needs beyond node_modules and says
// how to get it. It never fails the install.
import { existsSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { missingElectronMessage } from './start.mjs'

const notes = []
try {
  const v = execFileSync(new URL('../node_modules/.bin/node', import.meta.url).pathname, ['--version'])
    .toString()
    .trim()
  if (!v.startsWith('v24.')) notes.push(`The pinned Node is ${v}; expected v24 (Electron 45's main-process Node).`)
} catch {
  notes.push('The pinned Node 24 (devDependency "node") is missing: run `npm install` again with network access to the npm registry.')
}
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!existsSync(chromium)) {
  notes.push(`Browser tests need Chromium at ${chromium}: \`sudo apt-get install chromium\` (or set CHROMIUM_PATH). Never \`npx playwright install\`.`)
}
const electron = missingElectronMessage()
if (electron) notes.push(electron.join(' '))
if (notes.length > 0) console.log(`\nJunction setup notes:\n${notes.map((n) => `  - ${n}`).join('\n')}\n`)
