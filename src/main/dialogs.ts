// Native dialogs: the folder picker Core calls for the data folder and network folder
// settings (issue 11 §12), and the box shown when Junction cannot start.

import { isAbsolute } from 'node:path'
import { dialog, type BrowserWindow } from 'electron'
import { folderDialogOptions, pickedFolder, type FolderPurpose } from './shell/folder-pick'

export function createFolderPicker(parent: () => BrowserWindow | null): (purpose: FolderPurpose, title: string) => Promise<string | null> {
  return async (purpose, title) => {
    const options = folderDialogOptions(purpose, title)
    const owner = parent()
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options)
    return pickedFolder(result, isAbsolute)
  }
}

/** Works before `ready` too (Electron shows it on stderr where no display exists). */
export function showStartupError(title: string, content: string): void {
  dialog.showErrorBox(title, content)
}
