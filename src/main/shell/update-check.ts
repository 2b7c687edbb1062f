// Update checks through electron-updater's generic provider, whose URL is a setting the
// person gives (a folder on a web server holding latest.yml / latest-mac.yml /
// latest-linux.yml, as `electron-builder --publish` writes them). No URL, no check.
// The updater is injected, so the mapping from its outcomes to one typed result is tested
// under plain Node; src/main/updater.ts passes electron-updater's autoUpdater.

export type UpdateCheckResult =
  { kind: 'disabled' } | { kind: 'up-to-date'; version: string } | { kind: 'available'; version: string } | { kind: 'error'; reason: UpdateErrorReason }

/** Codes the renderer words (issue 10 §5: wording lives in the renderer). */
export type UpdateErrorReason = 'invalid-url' | 'not-packaged' | 'feed-not-found' | 'bad-feed' | 'network' | 'failed'

/** The part of electron-updater's AppUpdater used here. */
export interface UpdaterLike {
  setFeedURL(options: { provider: 'generic'; url: string }): void
  checkForUpdates(): Promise<{ isUpdateAvailable?: boolean; updateInfo: { version: string } } | null>
}

/** https only; plain http only on loopback (a local test server). Returns the normalised URL or null. */
export function validUpdateUrl(url: string | null | undefined): string | null {
  if (!url) return null
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (u.username || u.password) return null
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]'
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) return null
  return u.href
}

export function updateErrorReason(error: unknown): UpdateErrorReason {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : ''
  const message = error instanceof Error ? error.message : String(error)
  if (code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND' || /\b404\b/.test(message)) return 'feed-not-found'
  if (code === 'ERR_UPDATER_INVALID_UPDATE_INFO' || code === 'ERR_UPDATER_LATEST_VERSION_NOT_FOUND' || code === 'ERR_UPDATER_INVALID_VERSION') return 'bad-feed'
  if (/net::ERR_|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN/.test(message) || /^E[A-Z]+$/.test(code)) return 'network'
  return 'failed'
}

export async function checkForUpdates(options: { feedUrl: string | null | undefined; updater: UpdaterLike }): Promise<UpdateCheckResult> {
  if (!options.feedUrl) return { kind: 'disabled' }
  const url = validUpdateUrl(options.feedUrl)
  if (!url) return { kind: 'error', reason: 'invalid-url' }
  try {
    options.updater.setFeedURL({ provider: 'generic', url })
    const result = await options.updater.checkForUpdates()
    // electron-updater answers null when the app is not packaged (a development run).
    if (!result) return { kind: 'error', reason: 'not-packaged' }
    const version = result.updateInfo.version
    return result.isUpdateAvailable ? { kind: 'available', version } : { kind: 'up-to-date', version }
  } catch (error) {
    return { kind: 'error', reason: updateErrorReason(error) }
  }
}
