import { useActions, useApp } from '../context'
import { strings } from '../strings'
import { Modal } from './Modal'

export function ImageViewer({ messageId }: { messageId: string }): React.JSX.Element {
  const actions = useActions()
  const close = useApp((s) => s.openDialog)
  return (
    <Modal label={strings.chat.viewerTitle} className="image-viewer" onClose={() => close(null)}>
      <header>
        <h2>{strings.chat.viewerTitle}</h2>
        <button type="button" className="icon" aria-label={strings.chat.closeViewer} onClick={() => close(null)} autoFocus>
          ×
        </button>
      </header>
      <img src={actions.mediaUrl(messageId)} alt={strings.chat.viewerTitle} />
    </Modal>
  )
}
