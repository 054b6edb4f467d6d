package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type groupJSON struct {
	ChatID  string `json:"chatid"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Members int    `json:"members"`
}

func (s *server) groupRoutes(api gin.IRouter) {
	api.GET("/groups", s.listGroups)
}

// listGroups answers {"groups":[...]}.
func (s *server) listGroups(c *gin.Context) {
	groups, err := s.Admin.Groups(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]groupJSON, 0, len(groups))
	for _, g := range groups {
		out = append(out, groupJSON{ChatID: g.ChatID, Name: g.Name, Kind: g.Kind, Members: g.Members})
	}
	c.JSON(http.StatusOK, gin.H{"groups": out})
}
