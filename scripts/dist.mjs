// `npm run dist`: builds with electron-vite, then packages for this platform with
// electron-builder (electron-builder.yml): AppImage + deb, dmg, or NSIS. Nothing is
// published. Signing is off unless JUNCTION_SIGN=1 (then electron-builder reads
// CSC_LINK / CSC_KEY_PASSWORD, or the macOS keychain); notarization needs JUNCTION_NOTARIZE=1
// and Apple's credentials (APPLE_ID + APPLE_APP_SPECIFIC_PASSWORD + APPLE_TEAM_ID, or
// APPLE_API_KEY + APPLE_API_KEY_ID + APPLE_API_ISSUER).
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const PLATFORM_FLAG = { linux: '--linux', darwin: '--mac', win32: '--win' }

/** electron-builder's arguments and environment for this platform and these settings; throws on a combination that cannot work. */
export function distInvocation(env = process.env, platform = process.platform) {
  const flag = PLATFORM_FLAG[platform]
  if (!flag) throw new Error(`Junction is not packaged for ${platform}.`)
  const sign = env.JUNCTION_SIGN === '1'
  const notarize = env.JUNCTION_NOTARIZE === '1'
  if (notarize && !sign) throw new Error('Notarization needs a signed app: set JUNCTION_SIGN=1 too.')
  if (notarize && !(env.APPLE_ID || env.APPLE_API_KEY || env.APPLE_KEYCHAIN_PROFILE)) {
    throw new Error('JUNCTION_NOTARIZE=1 needs APPLE_ID/APPLE_APP_SPECIFIC_PASSWORD/APPLE_TEAM_ID or APPLE_API_KEY/APPLE_API_KEY_ID/APPLE_API_ISSUER.')
  }
  const args = [flag, '--publish', 'never']
  const childEnv = { ...env }
  if (!sign) {
    // No keychain search, no certificate from the environment, and on macOS no identity at all.
    childEnv.CSC_IDENTITY_AUTO_DISCOVERY = 'false'
    delete childEnv.CSC_LINK
    delete childEnv.CSC_KEY_PASSWORD
    delete childEnv.WIN_CSC_LINK
    delete childEnv.WIN_CSC_KEY_PASSWORD
    if (platform === 'darwin') args.push('-c.mac.identity=null')
  }
  if (notarize) args.push('-c.mac.notarize=true')
  return { args, env: childEnv }
}

function run(script, args, env) {
  const result = spawnSync(process.execPath, [join(ROOT, script), ...args], { stdio: 'inherit', cwd: ROOT, env })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

function main() {
  let invocation
  try {
    invocation = distInvocation()
  } catch (error) {
    process.stderr.write(`${error.message}\n`)
    process.exit(1)
  }
  run('node_modules/electron-vite/bin/electron-vite.js', ['build'], process.env)
  run('node_modules/electron-builder/cli.js', [...invocation.args, ...process.argv.slice(2)], invocation.env)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main()
