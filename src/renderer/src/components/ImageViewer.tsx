import { useEffect, useState } from 'react'
import { useActions, useApp } from '../context'
import { strings } from '../strings'
import { Modal } from './Modal'

export function ImageViewer({ messageId }: { messageId: string }): React.JSX.Element {
  const actions = useActions()
  const close = useApp((s) => s.openDialog)
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    actions.loadMedia(messageId).then((u) => live && setUrl(u), actions.report)
    return () => {
      live = false
    }
  }, [actions, messageId])
  return (
    <Modal label={strings.chat.viewerTitle} className="image-viewer" onClose={() => close(null)}>
      <header>
        <h2>{strings.chat.viewerTitle}</h2>
        <button type="button" className="icon" aria-label={strings.chat.closeViewer} onClick={() => close(null)} autoFocus>
          ×
        </button>
      </header>
      {url ? <img src={url} alt={strings.chat.viewerTitle} /> : <p role="status">{strings.chat.imageLoading}</p>}
    </Modal>
  )
}
