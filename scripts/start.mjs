// `npm start`: runs `electron-vite preview` (build, then the app in Electron) once it is
// sure Electron's binary is there. Where it is missing (installed offline, or with
// scripts disabled) it says so in two lines and exits non-zero, instead of Electron's
// own stack trace. It never requires the `electron` package: that would try a download.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

const DEFAULT_BINARY = { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }

/** Where Electron's executable should be, as node_modules/electron/index.js computes it. */
export function electronBinaryPath(root = ROOT, env = process.env, platform = process.platform) {
  const dir = join(root, 'node_modules', 'electron')
  const pathFile = join(dir, 'path.txt')
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : (DEFAULT_BINARY[platform] ?? 'electron')
  return join(env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'), executable)
}

/** The two lines to print when the binary is missing, or null when it is there. */
export function missingElectronMessage(root = ROOT, env = process.env, platform = process.platform) {
  if (!existsSync(join(root, 'node_modules', 'electron', 'package.json'))) {
    return [
      'Junction cannot start: the electron package is not installed (node_modules/electron is missing).',
      'Run `npm install` on a machine with internet; meanwhile try Junction in a browser with `npm run sandbox`.'
    ]
  }
  const binary = electronBinaryPath(root, env, platform)
  if (existsSync(binary)) return null
  const shown = relative(root, binary).startsWith('..') ? binary : relative(root, binary)
  return [
    `Junction cannot start: Electron's binary is missing (${shown}); it is downloaded on install and this machine could not fetch it.`,
    'On a machine with internet run `node node_modules/electron/install.js` to fetch it; meanwhile try Junction in a browser with `npm run sandbox`.'
  ]
}

function main() {
  const message = missingElectronMessage()
  if (message) {
    process.stderr.write(`${message.join('\n')}\n`)
    process.exit(1)
  }
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'preview', ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: ROOT
  })
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
