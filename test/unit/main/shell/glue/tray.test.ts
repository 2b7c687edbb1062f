// The tray's glue with stand-ins for Tray, Menu and nativeImage: the menu's actions work, the
// icon follows the unread count, and the pause is reported to be saved.
import { describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../../../src/main/base/log'

const trays = vi.hoisted(
  () => [] as Array<{ image: string; tooltip: string; title: string; menu: Array<{ label?: string; type?: string; click?: () => void }> }>
)
vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events')
  class Tray extends EventEmitter {
    tooltip = ''
    title = ''
    menu: unknown[] = []
    constructor(public image: string) {
      super()
      trays.push(this as never)
    }
    setImage(image: string): void {
      this.image = image
    }
    setToolTip(t: string): void {
      this.tooltip = t
    }
    setTitle(t: string): void {
      this.title = t
    }
    setContextMenu(menu: unknown[]): void {
      this.menu = menu
    }
    destroy(): void {}
  }
  return {
    Tray,
    Menu: { buildFromTemplate: (t: unknown[]) => t },
    nativeImage: { createFromPath: (p: string) => Object.assign(p.split('/').pop()!, { setTemplateImage: () => {} }) }
  }
})

const { createTray } = await import('../../../../../src/main/tray')

describe('the tray in Electron', () => {
  it('draws the count, pauses and resumes notifications, opens and quits', () => {
    const calls: string[] = []
    const pauses: Array<number | null> = []
    let now = 1_000_000
    const tray = createTray({
      resourcesDir: '/app/resources',
      platform: 'linux',
      log: silentLogger,
      pausedUntil: null,
      onOpen: () => calls.push('open'),
      onQuit: () => calls.push('quit'),
      onPauseChange: (p) => pauses.push(p),
      clock: () => now
    })!
    const t = trays.at(-1)!
    expect(String(t.image)).toBe('tray.png')
    tray.setUnread(4)
    expect(String(t.image)).toBe('tray-unread.png')
    expect(t.tooltip).toBe('Junction — 4 unread messages')
    const item = (label: RegExp) => t.menu.find((i) => i.label && label.test(i.label))!
    item(/^Pause/).click!()
    expect(pauses).toEqual([now + 3_600_000])
    expect(tray.notificationsPaused()).toBe(true)
    expect(item(/^Resume/)).toBeDefined()
    now += 3_600_000
    expect(tray.notificationsPaused()).toBe(false)
    item(/^Resume/).click!()
    expect(pauses.at(-1)).toBeNull()
    item(/^Open/).click!()
    item(/^Quit/).click!()
    expect(calls).toEqual(['open', 'quit'])
    tray.destroy()
  })
})
