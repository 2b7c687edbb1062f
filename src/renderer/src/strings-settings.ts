// The wording of the settings dialog, part of `strings` (strings.ts).

import type { UpdateCheckResult } from '../../shared/api'

export const settingsStrings = {
  title: 'Settings',
  close: 'Close',
  tabs: { accounts: 'Accounts', notifications: 'Notifications', appearance: 'Appearance', advanced: 'Advanced' },
  noAccounts: 'No accounts yet.',
  notificationsEnabled: 'Show desktop notifications for new messages',
  showPreview: 'Show the sender and message text in notifications',
  showPreviewHint: 'Turn off to show only "New message", for privacy.',
  permissionDenied: 'The system blocks notifications from Junction. Allow them in your system settings.',
  theme: 'Theme',
  themes: { system: 'Same as the system', light: 'Light', dark: 'Dark' },
  networkSettings: (network: string) => network,
  save: 'Save',
  useDefault: 'Use the default',
  chooseFolder: 'Choose a folder…',
  notSet: 'Not set: Junction uses its default.',
  headlessFolder: 'Under the headless host, folders are set in its configuration.',
  dataFolder: 'Data folder',
  dataFolderHint: 'Your messages and settings are kept here.',
  openFolder: 'Show in the file manager',
  moveFolder: 'Move to another folder…',
  headlessDataFolder: 'Under the headless host, choose the folder with --data-dir.',
  logs: 'Logs',
  logsHint: 'Junction keeps a log of what it did (never your messages or passwords), useful when something goes wrong.',
  openLogs: 'Open the logs folder',
  desktop: 'Desktop',
  closeToTray: 'Keep Junction running when its window is closed',
  updates: 'Updates',
  updateUrl: 'Update address (https)',
  updateUrlHint: 'Where this copy of Junction looks for new versions. Leave empty for no update checks.',
  checkUpdates: 'Check for updates',
  checking: 'Checking…',
  updateResult: (r: UpdateCheckResult): string => {
    switch (r.kind) {
      case 'disabled':
        return 'Update checks are off: set an update address first.'
      case 'up-to-date':
        return `Junction ${r.version} is the newest version.`
      case 'available':
        return `Junction ${r.version} is available. It downloads now and installs when you quit.`
      case 'error':
        return {
          'invalid-url': 'The update address is not a valid https address.',
          'not-packaged': 'Only an installed copy of Junction can update itself.',
          'feed-not-found': 'Nothing was found at the update address.',
          'bad-feed': 'The update address did not answer with an update feed.',
          network: 'The update address could not be reached.',
          failed: 'The update check failed.'
        }[r.reason]
    }
  },
  export: 'Export the whole history',
  exportHint: 'Every message of every account, in one file.',
  exportJson: 'Export as JSON',
  exportHtml: 'Export as HTML',
  exporting: 'Exporting…',
  exported: (n: number, file: string) => `Exported ${n} messages to ${file}.`,
  showExport: 'Show the file'
}
