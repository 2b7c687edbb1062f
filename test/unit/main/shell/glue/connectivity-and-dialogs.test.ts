// Electron glue for connectivity (net.isOnline + powerMonitor resume) and the folder
// picker, with stand-ins for those modules.
import { describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../../../src/main/base/log'

const fake = vi.hoisted(() => ({ online: true, dialogAnswers: [] as Array<{ canceled: boolean; filePaths: string[] }>, dialogCalls: [] as unknown[][] }))
vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events')
  return {
    net: { isOnline: () => fake.online },
    powerMonitor: new EventEmitter(),
    dialog: {
      showOpenDialog: async (...args: unknown[]) => {
        fake.dialogCalls.push(args)
        return fake.dialogAnswers.shift()!
      }
    }
  }
})

const electron = (await import('electron')) as unknown as { powerMonitor: import('node:events').EventEmitter }
const { electronConnectivity } = await import('../../../../../src/main/connectivity')
const { createFolderPicker } = await import('../../../../../src/main/dialogs')

describe('Electron connectivity', () => {
  it('tells listeners after a resume from sleep, and unsubscribes from powerMonitor when nobody listens', () => {
    const c = electronConnectivity(silentLogger)
    let fired = 0
    const off = c.onOnline(() => fired++)
    expect(electron.powerMonitor.listenerCount('resume')).toBe(1)
    electron.powerMonitor.emit('resume')
    expect(fired).toBe(1)
    off()
    expect(electron.powerMonitor.listenerCount('resume')).toBe(0)
    c.stop()
  })
})

describe('the folder picker', () => {
  it('asks for a directory, parented to the window when there is one, and maps the answer', async () => {
    const owner = { id: 'window' }
    const pick = createFolderPicker(() => owner as never)
    fake.dialogAnswers.push({ canceled: false, filePaths: ['/home/a/JunctionData'] }, { canceled: true, filePaths: [] })
    expect(await pick('data-folder', 'Choose a folder')).toBe('/home/a/JunctionData')
    expect(fake.dialogCalls[0]![0]).toBe(owner)
    expect(fake.dialogCalls[0]![1]).toMatchObject({ title: 'Choose a folder', properties: ['openDirectory', 'createDirectory'] })
    expect(await pick('network-setting', 'LINE extension')).toBeNull()
  })
})
