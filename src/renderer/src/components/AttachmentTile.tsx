// A file in a message (issue 12 §2): its name and size; an incoming file downloads on
// demand from the media URL main serves (with progress from Content-Length as it
// streams), then "Open" asks main to open it by message id — the page never names a path.
// While a sent file is pending, its upload bar (UploadProgress.tsx).

import { useEffect, useRef, useState } from 'react'
import type { Message } from '../../../shared/model'
import { useActions } from '../context'
import { strings } from '../strings'
import { UploadProgress } from './UploadProgress'

type Phase = { kind: 'idle' } | { kind: 'downloading'; received: number; total: number | null } | { kind: 'ready' } | { kind: 'failed' }

/** Reads the media URL through, counting bytes; resolves once every byte arrived (main then has them cached). */
async function download(url: string, signal: AbortSignal, onProgress: (received: number, total: number | null) => void): Promise<void> {
  const res = await fetch(url, { signal })
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`)
  const length = Number(res.headers.get('content-length'))
  const total = Number.isFinite(length) && length > 0 ? length : null
  const reader = res.body.getReader()
  let received = 0
  onProgress(0, total)
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    received += value.byteLength
    onProgress(received, total)
  }
}

export function AttachmentTile({ message }: { message: Message }): React.JSX.Element {
  const actions = useActions()
  const name = message.media?.name ?? strings.attachment.file
  const size = message.media?.size
  // Own files are in the media cache already; so is anything downloaded before.
  const [phase, setPhase] = useState<Phase>(message.fromMe ? { kind: 'ready' } : { kind: 'idle' })
  const abort = useRef<AbortController | null>(null)
  useEffect(() => () => abort.current?.abort(), [])

  const start = (): void => {
    const controller = new AbortController()
    abort.current = controller
    setPhase({ kind: 'downloading', received: 0, total: size ?? null })
    download(actions.mediaUrl(message.id), controller.signal, (received, total) =>
      setPhase({ kind: 'downloading', received, total: total ?? size ?? null })
    ).then(
      () => setPhase({ kind: 'ready' }),
      () => {
        if (!controller.signal.aborted) setPhase({ kind: 'failed' })
      }
    )
  }

  const percent = phase.kind === 'downloading' && phase.total ? Math.min(100, Math.round((phase.received / phase.total) * 100)) : null
  return (
    <div className="attachment-tile" data-testid="attachment-tile">
      <span className="attachment-icon" aria-hidden="true">
        <svg viewBox="0 0 24 24" width="22" height="22">
          <path fill="currentColor" d="M6 2h8l6 6v14H6zm7 1.5V9h5.5zM8 13h8v1.5H8zm0 3h8v1.5H8z" />
        </svg>
      </span>
      <span className="attachment-info">
        <span className="attachment-name" dir="auto">
          {name}
        </span>
        {size !== undefined && <span className="attachment-size">{strings.attachment.size(size)}</span>}
        {message.status === 'pending' && message.fromMe && <UploadProgress messageId={message.id} name={name} />}
        {phase.kind === 'downloading' && (
          <span className="attachment-progress" role="status">
            {percent === null ? (
              <progress aria-label={strings.attachment.downloading(null)} />
            ) : (
              <progress aria-label={strings.attachment.downloading(percent)} max={100} value={percent} />
            )}
            {strings.attachment.downloading(percent)}
          </span>
        )}
        {phase.kind === 'failed' && (
          <span className="attachment-error" role="alert">
            {strings.attachment.failed}
          </span>
        )}
      </span>
      {(phase.kind === 'idle' || phase.kind === 'failed') && (
        <button type="button" className="attachment-action" aria-label={strings.attachment.download(name)} onClick={start}>
          {phase.kind === 'failed' ? strings.attachment.retry : strings.attachment.downloadShort}
        </button>
      )}
      {phase.kind === 'ready' && message.status !== 'pending' && (
        <button
          type="button"
          className="attachment-action"
          aria-label={strings.attachment.openLabel(name)}
          onClick={() => void actions.openAttachment(message.id)}
        >
          {strings.attachment.open}
        </button>
      )}
    </div>
  )
}
