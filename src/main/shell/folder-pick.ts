// The native folder dialog's options and answer (issue 11 §12: only main picks folders;
// the renderer asks for a pick and never sends a path).

export type FolderPurpose = 'data-folder' | 'network-setting'

export function folderDialogOptions(
  purpose: FolderPurpose,
  title: string
): { title: string; buttonLabel: string; properties: Array<'openDirectory' | 'createDirectory'> } {
  return {
    title,
    buttonLabel: purpose === 'data-folder' ? 'Use this folder' : 'Choose',
    // createDirectory matters on macOS only; a new data folder is a common choice.
    properties: purpose === 'data-folder' ? ['openDirectory', 'createDirectory'] : ['openDirectory']
  }
}

/** The chosen folder, or null when the dialog was cancelled or returned nothing usable (an absolute path is required). */
export function pickedFolder(result: { canceled: boolean; filePaths: readonly string[] }, isAbsolute: (p: string) => boolean): string | null {
  if (result.canceled) return null
  const path = result.filePaths[0]
  return path && isAbsolute(path) ? path : null
}
