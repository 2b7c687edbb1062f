import { isAbsolute } from 'node:path'
import { describe, expect, it } from 'vitest'
import { folderDialogOptions, pickedFolder } from '../../../../src/main/shell/folder-pick'

describe('the native folder picker', () => {
  it('asks for a directory only', () => {
    expect(folderDialogOptions('data-folder', 'Choose a folder').properties).toEqual(['openDirectory', 'createDirectory'])
    expect(folderDialogOptions('network-setting', 'LINE extension').properties).toEqual(['openDirectory'])
    expect(folderDialogOptions('network-setting', 'LINE extension').title).toBe('LINE extension')
  })

  it('answers the chosen absolute folder, or null when cancelled or empty', () => {
    expect(pickedFolder({ canceled: false, filePaths: ['/home/a/Junction'] }, isAbsolute)).toBe('/home/a/Junction')
    expect(pickedFolder({ canceled: true, filePaths: ['/home/a/Junction'] }, isAbsolute)).toBeNull()
    expect(pickedFolder({ canceled: false, filePaths: [] }, isAbsolute)).toBeNull()
    expect(pickedFolder({ canceled: false, filePaths: ['relative/dir'] }, isAbsolute)).toBeNull()
  })
})
