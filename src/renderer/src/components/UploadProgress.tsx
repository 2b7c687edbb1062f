// The upload bar of an own pending picture or file (issue 12 §2): a <progress> (role
// progressbar) with its aria values, indeterminate until Core reports the first bytes
// (`uploadProgress`), then the share of the upload handed to the network.

import { useApp } from '../context'
import { strings } from '../strings'

export function uploadPercent(progress: { sent: number; total: number } | undefined): number | null {
  if (!progress || progress.total <= 0) return null
  return Math.max(0, Math.min(100, Math.floor((progress.sent / progress.total) * 100)))
}

export function UploadProgress({ messageId, name }: { messageId: string; name?: string }): React.JSX.Element {
  const percent = useApp((s) => uploadPercent(s.uploads[messageId]))
  const label = name ? strings.attachment.uploadingOf(name) : strings.attachment.uploading
  const text = percent === null ? strings.attachment.uploading : strings.attachment.uploadingPercent(percent)
  return (
    <span className="attachment-progress upload-progress" data-testid="upload-progress">
      {percent === null ? (
        <progress aria-label={label} aria-valuetext={text} />
      ) : (
        <progress aria-label={label} max={100} value={percent} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={text} />
      )}
      <span aria-hidden="true">{text}</span>
    </span>
  )
}
