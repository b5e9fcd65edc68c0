// English: the source of every key. es.ts and fr.ts must have the same keys (i18n.test.ts checks).
const en = {
  app: { name: "CareQueue" },
  common: {
    retry: "Try again",
    back: "Back",
    loading: "Loading…",
    lastUpdated: "Last updated {{time}}",
    offline: "No connection. Showing what we last knew; it updates when you are back online.",
    reconnecting: "Reconnecting…",
    network: "We can't reach the hospital's server. Check your connection and try again.",
    error: "Something went wrong on our side. Please try again.",
    sessionEnded: "Your sign-in has ended. Please sign in again.",
  },
  signIn: {
    title: "Sign in",
    intro: "We'll send a 6-digit code by text message to the mobile number the hospital has for you.",
    phoneLabel: "Mobile number",
    phoneHelp: "Start with + and your country code. For a UK number 07700 900123, type +44 7700 900123.",
    phoneInvalid: "Enter the whole number with its country code, starting with +, for example +44 7700 900123.",
    sendCode: "Send code",
    codeSent: "If {{phone}} is registered with the hospital, a code is on its way. It is valid for 5 minutes.",
    codeLabel: "6-digit code",
    codeInvalid: "The code has 6 digits.",
    verify: "Sign in",
    wrongCode: "That code is not right or has expired. Check the message, or ask for a new code.",
    rateLimited: "Too many tries. Please wait a minute before trying again.",
    resend: "Send a new code",
    changeNumber: "Use another number",
    follow: "Follow a ticket without signing in",
  },
  visits: {
    title: "My visits",
    empty: "You have no open visits. When you check in, your place in the queue shows here.",
    code: "Ticket {{code}}",
    next: "You're next",
    about_one: "About {{count}} minute",
    about_other: "About {{count}} minutes",
    range: "About {{low}}–{{high}} minutes",
    soon: "About to be called",
    unknown: "Not enough data yet to estimate the wait",
    position: "Number {{position}} in line",
    inService: "You are being seen",
    called: "It's your turn: go to {{room}}",
    calledNoRoom: "It's your turn",
    checkIn: "Check in",
    history: "Past visits",
    scan: "Scan a ticket",
    settings: "Settings",
    movedTo: "Moved to {{code}}",
  },
  status: {
    WAITING: "Waiting",
    CALLED: "Called",
    IN_SERVICE: "Being seen",
    COMPLETED: "Seen",
    NO_SHOW: "Missed",
    CANCELLED: "Cancelled",
    TRANSFERRED: "Moved to another queue",
  },
  called: {
    title: "It's your turn",
    goTo: "Please go to",
    noRoom: "Please go to the desk",
    code: "Ticket {{code}}",
    ok: "I'm on my way",
  },
  follow: {
    title: "Follow a ticket",
    intro: "Open the link from your text message, or scan the QR code on your ticket.",
    linkLabel: "Link from the message",
    open: "Follow",
    invalid: "This is not a CareQueue ticket link. Check that you copied the whole link.",
    notFound: "We couldn't find this ticket. The link may be old or mistyped.",
    scan: "Scan the QR code",
    cameraDenied: "CareQueue needs the camera to scan the QR code. You can type the link instead.",
    noCamera: "No camera here: type or paste the link instead.",
    ended: "This visit has ended.",
  },
  ticket: {
    notYours: "This is not your ticket. Sign in with the phone number the ticket belongs to.",
    notFound: "We couldn't find this ticket.",
    queue: "Queue",
    place: "Place",
  },
  checkIn: {
    title: "Check in",
    intro: "Check in when you have arrived at the hospital.",
    appointments: "Your appointments today",
    appointmentAt: "{{queue}} at {{time}}",
    queues: "Walk-in queues",
    none: "There is nothing to check in to from the app right now. Please go to reception.",
    confirm: "Check in to {{queue}}",
    done: "You're checked in: ticket {{code}}.",
    already: "You are already in this queue.",
    forbidden: "This queue does not take check-in from the app. Please go to reception.",
    closed: "This queue is closed right now. Please go to reception.",
  },
  history: {
    title: "Past visits",
    empty: "No past visits yet.",
    more: "Show more",
  },
  settings: {
    title: "Settings",
    language: "Language",
    notifications: "Notifications",
    notificationsHelp: "A message when you are near the front and when it is your turn.",
    notificationsUnavailable: "Push notifications need the installed app; you still get text messages.",
    signOut: "Sign out",
    signedInAs: "Signed in as {{name}}",
  },
  notify: {
    nearTitle: "You're nearly up",
    nearBody: "Ticket {{code}} is number {{position}} in line. Please stay close.",
  },
  a11y: {
    statusOf: "Ticket {{code}}, {{status}}",
    language: "Language: {{language}}",
  },
};

export default en;

/**
 * What es.ts and fr.ts provide: English's keys, plus the plural forms English does not use ("many" in
 * Spanish and French) beside each counted key's "_other"; i18n.test.ts checks each language has the
 * forms its plural rules ask for.
 */
type Catalog<T> = { [K in keyof T]: T[K] extends string ? string : Catalog<T[K]> } & {
  [K in keyof T as K extends `${infer Key}_other` ? `${Key}_${"zero" | "two" | "few" | "many"}` : never]?: string;
};
export type Messages = Catalog<typeof en>;
