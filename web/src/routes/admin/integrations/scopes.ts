// The API client scopes the server knows (internal/auth), in the order the form lists them; their
// plain-language descriptions are i18n keys apiClients.scope.<scope>.
export const API_SCOPES = ["queues:read", "tickets:checkin", "tickets:write", "appointments:write", "patients:read", "patients:write"] as const;

export type ApiScope = (typeof API_SCOPES)[number];

/** i18n keys cannot hold ":": "tickets:checkin" → "tickets_checkin". */
export const scopeKey = <S extends ApiScope>(scope: S) => scope.replace(":", "_") as S extends `${infer A}:${infer B}` ? `${A}_${B}` : never;
