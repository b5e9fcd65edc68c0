// Status links: what a patient may open or scan to follow a ticket without signing in. The SMS and the
// kiosk's QR code carry https://<server>/t/<token>; the app's own scheme is carequeue://t/<token>.
// Pure: tested in links.test.ts.

/** The server's status tokens: 18 random bytes, base64url (24 characters); allow some slack. */
const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;

/** The status token in a link, QR payload or pasted text, or null when it is not a CareQueue link. */
export function statusTokenFrom(input: string | null | undefined): string | null {
  const s = (input ?? "").trim();
  if (!s || s.length > 2048) return null;
  // carequeue://t/<token>, carequeue:///t/<token> (some scanners add a slash), https://host/t/<token>,
  // and the same path without a host (an Expo Router URL).
  const m =
    /^carequeue:\/\/\/?t\/([^/?#]+)\/?(?:[?#].*)?$/i.exec(s) ??
    /^https?:\/\/[^/?#\s]+(?:\/[^?#\s]*)?\/t\/([^/?#]+)\/?(?:[?#].*)?$/i.exec(s) ??
    /^\/t\/([^/?#]+)\/?$/.exec(s);
  const token = m ? safeDecode(m[1]!) : null;
  return token && TOKEN.test(token) ? token : null;
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** Where a tapped push notification leads: its ticket, or nowhere. */
export function routeForNotification(data: Record<string, unknown> | null | undefined): string | null {
  const id = data?.ticket_id ?? data?.ticketID;
  if (typeof id === "string" && /^TK[0-9A-Z]{10,40}$/.test(id)) return `/ticket/${id}`;
  const token = typeof data?.status_token === "string" ? statusTokenFrom(`/t/${data.status_token}`) : null;
  return token ? `/t/${token}` : null;
}
