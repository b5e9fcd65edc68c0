package auth

import "errors"

// ErrAccountChanged is the cause of a token refused because its account was disabled, or its role or
// facility changed, after the token was issued. It is still UNAUTHENTICATED over HTTP (the client
// signs in again and gets the account as it is now); a WebSocket closes with 4403 Forbidden instead of
// 4401, so a client can tell "your rights changed" from "your session ended".
var ErrAccountChanged = errors.New("account disabled or changed since the token was issued")
