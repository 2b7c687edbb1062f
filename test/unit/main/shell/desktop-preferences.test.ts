import { describe, expect, it } from 'vitest'
import { JunctionError } from '../../../../src/shared/errors'
import { readDesktopPreferences, updateDesktopPreferences, type PreferenceStore } from '../../../../src/main/shell/desktop-preferences'

function memoryStore(): PreferenceStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  return {
    data,
    get: ((key: string) => data.get(key)) as PreferenceStore['get'],
    set: ((key: string, value: unknown) => void data.set(key, value)) as PreferenceStore['set'],
    delete: (key) => void data.delete(key)
  }
}

describe('desktop preferences', () => {
  it('default to the platform habit (keep running) and no update feed', () => {
    expect(readDesktopPreferences(memoryStore())).toEqual({ closeToTray: true, updateUrl: null })
  })

  it('store close-to-tray and a valid feed, and clear the feed with null or an empty string', () => {
    const store = memoryStore()
    expect(updateDesktopPreferences(store, { closeToTray: false, updateUrl: ' https://updates.example.org/junction ' })).toEqual({
      closeToTray: false,
      updateUrl: 'https://updates.example.org/junction'
    })
    expect(updateDesktopPreferences(store, {})).toEqual({ closeToTray: false, updateUrl: 'https://updates.example.org/junction' })
    expect(updateDesktopPreferences(store, { updateUrl: '' }).updateUrl).toBeNull()
    updateDesktopPreferences(store, { updateUrl: 'https://u.example/' })
    expect(updateDesktopPreferences(store, { updateUrl: null }).updateUrl).toBeNull()
    expect(store.data.has('updateUrl')).toBe(false)
  })

  it('refuses a feed that is not https, and then changes nothing', () => {
    const store = memoryStore()
    let error: unknown
    try {
      updateDesktopPreferences(store, { closeToTray: false, updateUrl: 'http://updates.example.org/' })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(JunctionError)
    expect((error as JunctionError).code).toBe('invalid-argument')
    expect(readDesktopPreferences(store)).toEqual({ closeToTray: true, updateUrl: null })
  })
})
