package server

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carequeue/carequeue/internal/cqerr"
)

// Each code the presenter knows has one HTTP status and one WebSocket close code, used by every handler.
func TestErrorCodeTables(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code   cqerr.Code
		status int
		close  int
	}{
		{cqerr.Unauthenticated, http.StatusUnauthorized, CloseUnauthorized},
		{cqerr.Forbidden, http.StatusForbidden, CloseUnauthorized},
		{cqerr.NotFound, http.StatusNotFound, closeTryAgainLater},
		{cqerr.BadUserInput, http.StatusBadRequest, closeTryAgainLater},
		{cqerr.Conflict, http.StatusConflict, closeTryAgainLater},
		{cqerr.RateLimited, http.StatusTooManyRequests, closeTryAgainLater},
		{cqerr.Unavailable, http.StatusServiceUnavailable, closeTryAgainLater},
		{cqerr.Internal, http.StatusInternalServerError, closeTryAgainLater},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			t.Parallel()
			require.True(t, knownCode(tt.code))
			require.Equal(t, tt.status, httpStatus(tt.code))
			require.Equal(t, tt.close, wsCloseCode(tt.code))
		})
	}
}
