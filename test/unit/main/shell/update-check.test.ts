import { describe, expect, it, vi } from 'vitest'
import { checkForUpdates, updateErrorReason, validUpdateUrl, type UpdaterLike } from '../../../../src/main/shell/update-check'

function updater(answer: () => Promise<Awaited<ReturnType<UpdaterLike['checkForUpdates']>>>): UpdaterLike & { feeds: string[] } {
  const feeds: string[] = []
  return { feeds, setFeedURL: (o) => void feeds.push(`${o.provider} ${o.url}`), checkForUpdates: vi.fn(answer) }
}
const codeError = (code: string, message = code) => Object.assign(new Error(message), { code })

describe('update checks', () => {
  it('is disabled until a feed URL is set, and then never asks the updater', async () => {
    const u = updater(async () => null)
    expect(await checkForUpdates({ feedUrl: null, updater: u })).toEqual({ kind: 'disabled' })
    expect(await checkForUpdates({ feedUrl: '', updater: u })).toEqual({ kind: 'disabled' })
    expect(u.checkForUpdates).not.toHaveBeenCalled()
  })

  it('uses the generic provider at the set URL and maps available and up-to-date', async () => {
    const available = updater(async () => ({ isUpdateAvailable: true, updateInfo: { version: '0.2.0' } }))
    expect(await checkForUpdates({ feedUrl: 'https://updates.example.org/junction/', updater: available })).toEqual({ kind: 'available', version: '0.2.0' })
    expect(available.feeds).toEqual(['generic https://updates.example.org/junction/'])
    const current = updater(async () => ({ isUpdateAvailable: false, updateInfo: { version: '0.1.0' } }))
    expect(await checkForUpdates({ feedUrl: 'https://updates.example.org/junction/', updater: current })).toEqual({ kind: 'up-to-date', version: '0.1.0' })
  })

  it('maps failures to reasons the renderer can word', async () => {
    const cases: Array<[unknown, string]> = [
      [codeError('ERR_UPDATER_CHANNEL_FILE_NOT_FOUND', 'Cannot find latest-linux.yml'), 'feed-not-found'],
      [codeError('ERR_UPDATER_INVALID_UPDATE_INFO'), 'bad-feed'],
      [new Error('net::ERR_NAME_NOT_RESOLVED'), 'network'],
      [codeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), 'network'],
      [new Error('HttpError: 404 Not Found'), 'feed-not-found'],
      [new Error('something else'), 'failed']
    ]
    for (const [error, reason] of cases) {
      expect(updateErrorReason(error)).toBe(reason)
      expect(await checkForUpdates({ feedUrl: 'https://u.example/', updater: updater(() => Promise.reject(error)) })).toEqual({ kind: 'error', reason })
    }
    expect(await checkForUpdates({ feedUrl: 'https://u.example/', updater: updater(async () => null) })).toEqual({ kind: 'error', reason: 'not-packaged' })
  })

  it('accepts https feeds, plain http only on loopback, nothing with credentials', async () => {
    expect(validUpdateUrl('https://u.example/feed')).toBe('https://u.example/feed')
    expect(validUpdateUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080/')
    for (const bad of ['http://u.example/', 'file:///tmp/feed', 'ftp://u.example/', 'https://a:b@u.example/', 'not a url'])
      expect(validUpdateUrl(bad)).toBeNull()
    const u = updater(async () => null)
    expect(await checkForUpdates({ feedUrl: 'http://u.example/', updater: u })).toEqual({ kind: 'error', reason: 'invalid-url' })
    expect(u.feeds).toEqual([])
  })
})
