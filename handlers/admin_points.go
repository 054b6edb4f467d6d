package handlers

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/qunbot/qunbot/rules"
)

// PointsReader is what the ledger and leaderboard routes read.
type PointsReader interface {
	LedgerOf(ctx context.Context, chatID, userID string, limit int) ([]rules.LedgerEntry, error)
	Leaderboard(ctx context.Context, chatID, period string) (rules.Board, []rules.BoardEntry, error)
}

const (
	defaultLedgerLimit = 200
	maxLedgerLimit     = 5000
)

// ledgerEntryJSON is one ledger entry of INTERFACE.md section 8.
type ledgerEntryJSON struct {
	ID        int64   `json:"id"`
	UserID    string  `json:"userid"`
	Delta     int     `json:"delta"`
	Kind      string  `json:"kind"`
	Reason    string  `json:"reason"`
	Actor     string  `json:"actor"`
	CreatedAt *string `json:"created_at"`
}

// boardEntryJSON is one leaderboard line of INTERFACE.md section 8.
type boardEntryJSON struct {
	Rank   int    `json:"rank"`
	UserID string `json:"userid"`
	Name   string `json:"name"`
	Points int    `json:"points"`
	Title  string `json:"title"`
}

func (s *server) pointsRoutes(api gin.IRouter) {
	api.GET("/groups/:chatid/ledger", s.listLedger)
	api.GET("/groups/:chatid/leaderboard", s.getLeaderboard)
}

// listLedger answers {"entries":[...]}, newest first: one member's with
// ?userid=, else the group's; at most ?limit= (default 200).
func (s *server) listLedger(c *gin.Context) {
	if s.Points == nil {
		abortJSON(c, http.StatusServiceUnavailable, "points not available")
		return
	}
	limit, ok := queryLimit(c, defaultLedgerLimit, maxLedgerLimit)
	if !ok {
		return
	}
	entries, err := s.Points.LedgerOf(c.Request.Context(), c.Param("chatid"), c.Query("userid"), limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]ledgerEntryJSON, 0, len(entries))
	for _, e := range entries {
		at := e.At
		out = append(out, ledgerEntryJSON{ID: e.ID, UserID: e.UserID, Delta: e.Delta, Kind: e.Kind,
			Reason: e.Reason, Actor: e.Actor, CreatedAt: s.timeJSON(&at)})
	}
	c.JSON(http.StatusOK, gin.H{"entries": out})
}

// getLeaderboard answers {"period","entries":[...]} for ?period=day|week|month|all (default week).
func (s *server) getLeaderboard(c *gin.Context) {
	if s.Points == nil {
		abortJSON(c, http.StatusServiceUnavailable, "points not available")
		return
	}
	period, ok := rules.ParsePeriod(c.Query("period"))
	if !ok {
		abortJSON(c, http.StatusBadRequest, "period must be day, week, month or all")
		return
	}
	_, entries, err := s.Points.Leaderboard(c.Request.Context(), c.Param("chatid"), period)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]boardEntryJSON, 0, len(entries))
	for _, e := range entries {
		out = append(out, boardEntryJSON{Rank: e.Rank, UserID: e.UserID, Name: e.Name, Points: e.Points, Title: e.Title})
	}
	c.JSON(http.StatusOK, gin.H{"period": period, "entries": out})
}
