package handlers

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/qunbot/qunbot/rules"
)

// memberJSON is INTERFACE.md section 8's member object.
type memberJSON struct {
	UserID         string  `json:"userid"`
	Name           string  `json:"name"`
	Points         int     `json:"points"`
	Level          int     `json:"level"`
	Title          string  `json:"title"`
	CheckinStreak  int     `json:"checkin_streak"`
	LastCheckinDay *string `json:"last_checkin_day"`
	Warnings       int     `json:"warnings"`
	MutedUntil     *string `json:"muted_until"`
	JoinedAt       *string `json:"joined_at"`
	ProbationUntil *string `json:"probation_until"`
	Inviter        string  `json:"inviter"`
	LeftAt         *string `json:"left_at"`
	IsAdmin        bool    `json:"is_admin"`
	Segment        string  `json:"segment"`
	LastMessageAt  *string `json:"last_message_at"`
}

func (s *server) memberRoutes(api gin.IRouter) {
	api.GET("/groups/:chatid/members/:userid", s.getMember)
	api.GET("/groups/:chatid/members", s.listMembers)
}

// getMember answers one member, or 404 for a member the bot has never seen.
func (s *server) getMember(c *gin.Context) {
	m, err := s.Admin.Member(c.Request.Context(), c.Param("chatid"), c.Param("userid"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.memberJSON(m))
}

func (s *server) memberJSON(m rules.MemberView) memberJSON {
	var day *string
	if m.LastCheckinDay != "" {
		day = &m.LastCheckinDay
	}
	return memberJSON{
		UserID: m.UserID, Name: m.Name, Points: m.Points, Level: m.Level, Title: m.Title,
		CheckinStreak: m.CheckinStreak, LastCheckinDay: day, Warnings: m.Warnings,
		MutedUntil: s.timeJSON(m.MutedUntil), JoinedAt: s.timeJSON(m.JoinedAt),
		ProbationUntil: s.timeJSON(m.ProbationUntil), Inviter: m.Inviter,
		LeftAt: s.timeJSON(m.LeftAt), IsAdmin: m.IsAdmin, Segment: m.Segment, LastMessageAt: s.timeJSON(m.LastMessageAt),
	}
}
