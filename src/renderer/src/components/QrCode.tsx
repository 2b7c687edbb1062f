import QRCode from 'qrcode'
import { useEffect, useRef } from 'react'

/** Draws a QR payload on a canvas; redrawn whenever the payload changes (ref renewal). */
export function QrCode({ payload, label }: { payload: string; label: string }): React.JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    if (!canvas.current) return
    // Dark modules on white whatever the theme: phones scan dark-on-light reliably.
    void QRCode.toCanvas(canvas.current, payload, { errorCorrectionLevel: 'L', margin: 4, width: 280, color: { dark: '#000000', light: '#ffffff' } })
  }, [payload])
  return <canvas ref={canvas} className="qr" role="img" aria-label={label} data-payload-length={payload.length} />
}
