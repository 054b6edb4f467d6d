package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

const (
	defaultModlogLimit = 100
	maxModlogLimit     = 1000
)

// modEntryJSON is one modlog entry of INTERFACE.md section 8.
type modEntryJSON struct {
	ID        int64   `json:"id"`
	Action    string  `json:"action"`
	Actor     string  `json:"actor"`
	Target    string  `json:"target"`
	Reason    string  `json:"reason"`
	Evidence  string  `json:"evidence"`
	CreatedAt *string `json:"created_at"`
}

func (s *server) modlogRoutes(api gin.IRouter) {
	api.GET("/groups/:chatid/modlog", s.listModlog)
}

// listModlog answers {"entries":[...]}, newest first, at most ?limit= (default 100).
func (s *server) listModlog(c *gin.Context) {
	limit, ok := queryLimit(c, defaultModlogLimit, maxModlogLimit)
	if !ok {
		return
	}
	entries, err := s.Admin.Modlog(c.Request.Context(), c.Param("chatid"), limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]modEntryJSON, 0, len(entries))
	for _, e := range entries {
		at := e.At
		out = append(out, modEntryJSON{ID: e.ID, Action: e.Action, Actor: e.Actor, Target: e.Target,
			Reason: e.Reason, Evidence: e.Evidence, CreatedAt: s.timeJSON(&at)})
	}
	c.JSON(http.StatusOK, gin.H{"entries": out})
}
