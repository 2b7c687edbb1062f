// Core: the engine behind the Api. It owns the store, the account manager, the outbox
// and search; the Electron shell and the headless host are two thin transports over it.

import { join } from 'node:path'
import type { ApiEvents, ApiRequests, AppInfo, DesktopPreferences, RequestName, SettingsPatch, UpdateCheckResult } from '../../shared/api'
import { JunctionError } from '../../shared/errors'
import type { Chat, NetworkId } from '../../shared/model'
import type { BackoffOptions } from '../base/backoff'
import { Emitter } from '../base/emitter'
import type { Logger } from '../base/log'
import type { Connectivity, ConnectorContext, KeyStore, NetworkDefinition, SpawnIsolated } from '../networks/connector'
import { NetworkRegistry } from '../networks/registry'
import { AccountManager, type AuthBrowser } from './accounts'
import { MessageActions } from './actions'
import { Avatars } from './avatars'
import { ContactActions } from './contacts'
import { exportHistory } from './export'
import { History } from './history'
import { Ingest } from './ingest'
import { Outbox } from './outbox'
import { parseRowId } from './store/rows'
import type { Store } from './store'
import { readSettings, updateSettings } from './settings'
import type { Vault } from './vault'
import { checkAttachment } from './attachments'
import { chatHandlers } from './chat-handlers'
import { safeFileName, writeDownload } from './downloads'

/** Every request, implemented. Arguments arrive already validated (src/main/bridge). */
export type ApiHandlers = { [K in RequestName]: (arg: Parameters<ApiRequests[K]>[0]) => Promise<ReturnType<ApiRequests[K]>> }

export interface CoreOptions {
  store: Store
  vault: Vault
  networks: readonly NetworkDefinition[]
  /** Per-network endpoints and settings; a network missing here talks to the real service. */
  networkConfig?: Partial<Record<NetworkId, Record<string, unknown>>>
  log: Logger
  shell: AppInfo['shell']
  dataDir: string
  version: string
  authBrowser?: AuthBrowser | null
  /** The headless host's sign-in callback, e.g. `http://127.0.0.1:5000/auth/callback/`; each login appends its id. */
  authRedirectBase?: string | null
  /** Opens an http(s) URL in the person's browser; absent under the headless host, where the page does it. */
  openExternal?: ((url: string) => Promise<void>) | null
  /** Shell actions only Electron has: show a path in the file manager, move the data folder (next start). */
  revealPath?: ((path: string) => Promise<void>) | null
  moveDataFolder?: ((path: string) => Promise<void>) | null
  /** Electron: a native folder dialog; null when the person cancelled. The page never sends a path (issue 11 §12). */
  pickFolder?: ((purpose: 'data-folder' | 'network-setting', title: string) => Promise<string | null>) | null
  /** Electron: where the rotating log files are (revealPath 'logs-folder'). */
  logsDir?: string | null
  /** Electron: the desktop preferences and the update check, which the shell keeps. */
  desktop?: {
    preferences(): DesktopPreferences
    updatePreferences(patch: { closeToTray?: boolean; updateUrl?: string | null }): DesktopPreferences
    checkForUpdates(): Promise<UpdateCheckResult>
  } | null
  /** Electron: how a network starts third-party code in a process of its own (utilityProcess). */
  spawnIsolated?: SpawnIsolated | null
  /** Tells every supervisor that the machine's network came back (Electron); absent under the headless host, where supervisors probe. */
  connectivity?: Connectivity | null
  /** Under the headless host: the URL the page downloads an export from. */
  exportUrl?: ((fileName: string) => string) | null
  /** Electron: the person's downloads folder and the system's "open this file" (issue 12 §2 openAttachment). */
  downloadsDir?: string | null
  openFile?: ((path: string) => Promise<void>) | null
  /** Where the shell serves media (AppInfo.media); the shell's route or scheme calls `Core.media()`. */
  mediaUrl?: { base: string; query: string }
  /** Where the shell serves profile pictures (AppInfo.avatars); the shell's route or scheme calls `Core.avatar()`. */
  avatarUrl?: { base: string; query: string }
  clock?: () => number
  outbox?: { sendTimeoutMs?: number; maxAttempts?: number; backoff?: BackoffOptions }
}

const NO_CONNECTIVITY: Connectivity = { onOnline: () => () => {} }

/** For describing networks (setupProblem), where no Connector runs: it holds nothing. */
const DETACHED_KEY_STORE: KeyStore = {
  get: () => null,
  list: () => [],
  commit: () => {
    throw new JunctionError('internal', 'No account owns this key store.')
  }
}

export class Core {
  readonly events: Emitter<ApiEvents>
  readonly accounts: AccountManager
  readonly outbox: Outbox
  readonly actions: MessageActions
  readonly contactActions: ContactActions
  readonly handlers: ApiHandlers
  readonly avatars: Avatars
  private readonly registry: NetworkRegistry
  private readonly ingest: Ingest
  private readonly history: History
  private readonly clock: () => number

  constructor(private readonly o: CoreOptions) {
    this.clock = o.clock ?? Date.now
    this.events = new Emitter<ApiEvents>((error) => o.log.error({ error }, 'api event listener failed'))
    const emit = <K extends keyof ApiEvents>(name: K, payload: ApiEvents[K]): void => this.events.emit(name, payload)
    this.registry = new NetworkRegistry(o.networks)
    this.ingest = new Ingest(o.store, emit, { onAccountEvent: (id, e) => this.accounts.onAccountEvent(id, e) }, o.log.child({ part: 'ingest' }))
    this.accounts = new AccountManager({
      store: o.store,
      vault: o.vault,
      registry: this.registry,
      ingest: this.ingest,
      emit,
      log: o.log.child({ part: 'accounts' }),
      contextFor: (network, keyStore) => this.contextFor(network, keyStore),
      authBrowser: o.authBrowser ?? null,
      authRedirectBase: o.authRedirectBase ?? null,
      clock: this.clock,
      onOnline: (accountId) => {
        void this.accounts.sync(accountId)
        this.outbox.kick(accountId)
      }
    })
    this.outbox = new Outbox({
      store: o.store,
      ingest: this.ingest,
      emit,
      log: o.log.child({ part: 'outbox' }),
      clock: this.clock,
      connectorFor: (id) => this.accounts.onlineConnector(id),
      selfIdOf: (id) => o.store.accounts.get(id)?.self_id ?? '',
      ...o.outbox
    })
    this.actions = new MessageActions({
      store: o.store,
      ingest: this.ingest,
      outbox: this.outbox,
      emit,
      log: o.log.child({ part: 'actions' }),
      clock: this.clock,
      connectorFor: (id) => this.accounts.onlineConnector(id),
      capabilitiesOf: (id) => this.accounts.capabilitiesOf(id),
      selfIdOf: (id) => o.store.accounts.get(id)?.self_id ?? '',
      mediaOf: (id) => this.history.media(id)
    })
    this.contactActions = new ContactActions({
      store: o.store,
      emit,
      log: o.log.child({ part: 'contacts' }),
      connectorFor: (id) => this.accounts.onlineConnector(id),
      capabilitiesOf: (id) => this.accounts.capabilitiesOf(id)
    })
    this.avatars = new Avatars({
      store: o.store,
      log: o.log.child({ part: 'avatars' }),
      clock: this.clock,
      connectorFor: (id) => this.accounts.onlineConnector(id)
    })
    this.history = new History(o.store, this.ingest, (id) => this.accounts.onlineConnector(id), o.log.child({ part: 'history' }), this.clock)
    this.handlers = this.createHandlers()
  }

  /** Restores every saved account and resumes the outbox. */
  async start(): Promise<void> {
    await this.accounts.restoreAll()
    this.outbox.kick()
  }

  /** A message's media for the shell's media route or scheme: from the cache, else fetched once from the network. */
  /** A message's media bytes, with the safe name a file is offered under (issue 12 §2). */
  async media(messageId: string): Promise<{ mime: string; bytes: Uint8Array; name?: string }> {
    const media = await this.history.media(messageId)
    const id = parseRowId(messageId)
    const message = id === null ? undefined : this.o.store.messages.get(id)
    return message?.kind === 'file' ? { ...media, name: safeFileName(message.media?.name, media.mime) } : media
  }

  /** A profile picture for the shell's avatar route or scheme (issue 12 §3): an image, from the cache or fetched once per token. */
  avatar(accountId: string, remoteId: string): Promise<{ mime: string; bytes: Uint8Array }> {
    return this.avatars.get(accountId, remoteId)
  }

  async close(): Promise<void> {
    this.outbox.close()
    await this.accounts.close()
    this.events.clear()
    this.o.store.close()
  }

  /** A network's context: its configuration with the person's settings for it merged over (they win). */
  private contextFor(network: NetworkId, keyStore: KeyStore): ConnectorContext {
    const config = { ...this.o.networkConfig?.[network], ...readSettings(this.o.store).networks[network] }
    return {
      config,
      log: this.o.log.child({ network }),
      keyStore,
      connectivity: this.o.connectivity ?? NO_CONNECTIVITY,
      ...(this.o.spawnIsolated ? { spawnIsolated: this.o.spawnIsolated } : {})
    }
  }

  /** A setting patch names a declared field of the network, with a value of its kind; folders only come from the native dialog. */
  private checkNetworkSetting(patch: NonNullable<SettingsPatch['network']>, fromDialog: boolean): void {
    const definition = this.registry.get(patch.id)
    const field = definition.settings.find((f) => f.name === patch.name)
    if (!field) throw new JunctionError('invalid-argument', `${definition.displayName} has no setting "${patch.name}".`)
    if (patch.value === null) return
    if (field.kind === 'folder' && !fromDialog) throw new JunctionError('permission-denied', 'Folders are chosen in the folder dialog.')
    if (field.kind === 'toggle' ? typeof patch.value !== 'boolean' : typeof patch.value !== 'string') {
      throw new JunctionError('invalid-argument', `The setting "${patch.name}" has the wrong type.`)
    }
  }

  private desktop(): NonNullable<CoreOptions['desktop']> {
    if (!this.o.desktop) throw new JunctionError('unsupported', 'Only the desktop app has a tray and updates.')
    return this.o.desktop
  }

  private chatId(id: string): number {
    const n = parseRowId(id)
    if (n === null || !this.o.store.chats.remoteOf(n)) throw new JunctionError('not-found', 'That chat no longer exists.')
    return n
  }

  private chat(id: number): Chat {
    const chat = this.o.store.chats.get(id)
    if (!chat) throw new JunctionError('not-found', 'That chat no longer exists.')
    return chat
  }

  private createHandlers(): ApiHandlers {
    const { store } = this.o
    return {
      getAppInfo: async () => ({
        version: this.o.version,
        shell: this.o.shell,
        dataDir: this.o.dataDir,
        media: this.o.mediaUrl ?? { base: 'junction-media://media/', query: '' },
        avatars: this.o.avatarUrl ?? { base: 'junction-media://avatar/', query: this.o.mediaUrl?.query ?? '' }
      }),
      listNetworks: async () => this.registry.describe((id) => this.contextFor(id, DETACHED_KEY_STORE)),
      listAccounts: async () => this.accounts.list(),
      startLogin: async (arg) => ({ loginId: this.accounts.startLogin(arg) }),
      completeBrowserLogin: async ({ loginId, redirectUrl }) => this.accounts.completeBrowserLogin(loginId, redirectUrl),
      submitLoginInput: async ({ loginId, values }) => this.accounts.submitLoginInput(loginId, values),
      reconnectAccount: async ({ accountId }) => this.accounts.reconnectNow(accountId),
      cancelLogin: async ({ loginId }) => this.accounts.cancelLogin(loginId),
      removeAccount: async ({ accountId }) => {
        await this.accounts.remove(accountId)
        store.contacts.forgetRequests(accountId)
      },
      listInbox: async ({ filter, limit, after }) => ({
        ...store.chats.inbox({ filter, limit, after: after ?? null }),
        totalUnread: store.chats.totalUnread()
      }),
      getChat: async ({ chatId }) => this.chat(this.chatId(chatId)),
      ...chatHandlers({
        store,
        accounts: this.accounts,
        log: this.o.log,
        chatId: (id) => this.chatId(id),
        chat: (id) => this.chat(id),
        emitChat: (chat) => this.events.emit('chat', chat),
        emitChatById: (id) => this.ingest.emitChat(id)
      }),
      listContacts: async ({ accountId }) => store.contacts.list(accountId),
      addContact: async ({ accountId, address }) => this.contactActions.add(accountId, address),
      removeContact: async ({ accountId, remoteId }) => this.contactActions.remove(accountId, remoteId),
      setContactBlocked: async ({ accountId, remoteId, blocked }) => this.contactActions.setBlocked(accountId, remoteId, blocked),
      answerContactRequest: async ({ accountId, remoteId, accept }) => this.contactActions.answer(accountId, remoteId, accept),
      listMessages: async ({ chatId, before, after, around, limit }) =>
        this.history.page(this.chatId(chatId), before ? { before } : after ? { after } : around ? { around } : null, limit),
      sendMessage: async ({ chatId, clientId, draft, replyToId }) => {
        const id = this.chatId(chatId)
        // A picture or file the network would refuse fails here, before the outbox keeps it (issue 12 §2).
        const chat = store.chats.remoteOf(id)
        if (chat) checkAttachment(draft, this.accounts.capabilitiesOf(chat.accountId))
        return this.outbox.enqueue(id, clientId, replyToId ? { ...draft, replyTo: this.actions.replyFor(id, replyToId) } : draft)
      },
      reactToMessage: async ({ messageId, emoji }) => this.actions.react(messageId, emoji),
      editMessage: async ({ messageId, text }) => this.actions.edit(messageId, text),
      deleteMessage: async ({ messageId, forEveryone }) => this.actions.delete(messageId, forEveryone),
      forwardMessage: async ({ messageId, chatId, clientId }) => this.actions.forward(messageId, this.chatId(chatId), clientId),
      retryMessage: async ({ messageId }) => {
        const id = parseRowId(messageId)
        if (id === null) throw new JunctionError('not-found', 'That message no longer exists.')
        return this.outbox.retry(id)
      },
      openAttachment: async ({ messageId }) => {
        const { mime, bytes, name } = await this.media(messageId)
        const fileName = name ?? safeFileName(undefined, mime, `junction-${messageId}`)
        if (this.o.openFile && this.o.downloadsDir) {
          const path = await writeDownload(this.o.downloadsDir, fileName, bytes)
          await this.o.openFile(path)
          return { fileName, opened: true, downloadUrl: null }
        }
        const url = this.o.mediaUrl
        if (!url) throw new JunctionError('unsupported', 'This copy of Junction cannot open files.')
        return { fileName, opened: false, downloadUrl: `${url.base}${encodeURIComponent(messageId)}${url.query}` }
      },
      search: async ({ query, limit, accountId, chatId }) => {
        const scope: { accountId?: string; chatId?: number } = {}
        if (accountId !== undefined) scope.accountId = accountId
        if (chatId !== undefined) scope.chatId = this.chatId(chatId)
        return store.search.search(query, limit, scope)
      },
      openExternal: async ({ url }) => {
        if (!this.o.openExternal) throw new JunctionError('unsupported', 'Links open in the page under the headless host.')
        await this.o.openExternal(url)
      },
      updateAccount: async ({ accountId, muted }) => {
        if (!store.accounts.get(accountId)) throw new JunctionError('not-found', 'That account no longer exists.')
        store.accounts.setMuted(accountId, muted)
        const account = this.accounts.toAccount(accountId)!
        this.events.emit('account', account)
        return account
      },
      renameAccount: async ({ accountId, nickname }) => {
        if (!store.accounts.get(accountId)) throw new JunctionError('not-found', 'That account no longer exists.')
        store.accounts.setNickname(accountId, nickname)
        const account = this.accounts.toAccount(accountId)!
        this.events.emit('account', account)
        return account
      },
      getSettings: async () => readSettings(store),
      updateSettings: async (patch) => {
        if (patch.network) this.checkNetworkSetting(patch.network, false)
        const settings = updateSettings(store, patch)
        this.events.emit('settings', settings)
        return settings
      },
      exportHistory: async ({ format }) => {
        const result = await exportHistory(store, {
          dir: join(this.o.dataDir, 'exports'),
          format,
          version: this.o.version,
          now: new Date(this.clock()),
          networkName: (id) => (this.registry.has(id as NetworkId) ? this.registry.get(id as NetworkId).displayName : id)
        })
        this.o.log.info({ format, messages: result.messages }, 'history exported')
        return { ...result, downloadUrl: this.o.exportUrl?.(result.fileName) ?? null }
      },
      revealPath: async (what) => {
        if (!this.o.revealPath) throw new JunctionError('unsupported', 'Only the desktop app can open folders.')
        if (what.what === 'logs-folder' && !this.o.logsDir) throw new JunctionError('unsupported', 'This copy of Junction writes no log files.')
        await this.o.revealPath(
          what.what === 'data-folder' ? this.o.dataDir : what.what === 'logs-folder' ? this.o.logsDir! : join(this.o.dataDir, 'exports', what.fileName)
        )
      },
      moveDataFolder: async () => {
        if (!this.o.moveDataFolder || !this.o.pickFolder) throw new JunctionError('unsupported', 'The data folder of the headless host is set with --data-dir.')
        const path = await this.o.pickFolder('data-folder', 'Choose a folder for Junction’s data')
        if (path) await this.o.moveDataFolder(path)
      },
      getDesktopPreferences: async () => this.desktop().preferences(),
      updateDesktopPreferences: async (patch) => this.desktop().updatePreferences(patch),
      checkForUpdates: async () => this.desktop().checkForUpdates(),
      pickNetworkFolder: async ({ network, name }) => {
        if (!this.o.pickFolder)
          throw new JunctionError('unsupported', 'Folders can be chosen only in the desktop app; the headless host takes them from its configuration.')
        const definition = this.registry.get(network)
        const field = definition.settings.find((f) => f.name === name && f.kind === 'folder')
        if (!field) throw new JunctionError('invalid-argument', `${definition.displayName} has no folder setting "${name}".`)
        const path = await this.o.pickFolder('network-setting', field.label ?? name)
        if (!path) return readSettings(store)
        const patch = { network: { id: network, name, value: path } }
        this.checkNetworkSetting(patch.network, true)
        const settings = updateSettings(store, patch)
        this.events.emit('settings', settings)
        return settings
      }
    }
  }
}
