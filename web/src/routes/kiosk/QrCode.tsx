// A QR code drawn as SVG in the page (npm qrcode computes the modules; nothing goes over the network).
import QRCode from "qrcode";
import { useMemo } from "react";

const QUIET = 4; // the blank border scanners need, in modules

/** The QR code of `value`, as an image with an accessible name. */
export function QrCode({ value, label, size = 240 }: { value: string; label: string; size?: number }) {
  const { d, n } = useMemo(() => {
    const { modules } = QRCode.create(value, { errorCorrectionLevel: "M" });
    let path = "";
    for (let r = 0; r < modules.size; r++) {
      for (let c = 0; c < modules.size; c++) {
        if (modules.get(r, c)) path += `M${c + QUIET} ${r + QUIET}h1v1h-1z`;
      }
    }
    return { d: path, n: modules.size + 2 * QUIET };
  }, [value]);
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${n} ${n}`} width={size} height={size} shapeRendering="crispEdges" data-testid="kiosk-qr" data-value={value}>
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
