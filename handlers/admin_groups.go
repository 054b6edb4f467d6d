package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/qunbot/qunbot/rules"
)

type groupJSON struct {
	ChatID  string `json:"chatid"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Members int    `json:"members"`
	// Whether the 智能机器人 may post into the group over the long connection
	// (aibot_send_msg): "reachable" once a member spoke to it there, "refused"
	// when WeCom refused a post (the errcode in aibot_refused_code), else
	// "unknown"; aibot_reach_at is when that was learned.
	AIBotReachable   bool    `json:"aibot_reachable"`
	AIBotReach       string  `json:"aibot_reach"`
	AIBotReachAt     *string `json:"aibot_reach_at"`
	AIBotRefusedCode int     `json:"aibot_refused_code,omitempty"`
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
		j := groupJSON{ChatID: g.ChatID, Name: g.Name, Kind: g.Kind, Members: g.Members,
			AIBotReachable: g.Reach.State == rules.ReachYes, AIBotReach: "unknown", AIBotRefusedCode: g.Reach.Code}
		if g.Reach.State != "" {
			j.AIBotReach, j.AIBotReachAt = g.Reach.State, s.timeJSON(&g.Reach.At)
		}
		out = append(out, j)
	}
	c.JSON(http.StatusOK, gin.H{"groups": out})
}
