package handlers

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/qunbot/qunbot/rules"
)

// StatsReader is what the stats route reads: a group's activity over its
// last days days, from the roll-ups.
type StatsReader interface {
	Stats(ctx context.Context, chatID string, days int) (rules.Stats, error)
}

// dayStatsJSON is one day of the stats body (INTERFACE.md section 8).
type dayStatsJSON struct {
	Day      string `json:"day"`
	Messages int    `json:"messages"`
	Speakers int    `json:"speakers"`
	Checkins int    `json:"checkins"`
	Joins    int    `json:"joins"`
	Leaves   int    `json:"leaves"`
}

type segmentsJSON struct {
	HighValue int `json:"high_value"`
	Potential int `json:"potential"`
	Silent    int `json:"silent"`
	Churned   int `json:"churned"`
}

// statsJSON is the stats body of INTERFACE.md section 8.
type statsJSON struct {
	Days                    int            `json:"days"`
	Members                 int            `json:"members"`
	Messages                int            `json:"messages"`
	Speakers                int            `json:"speakers"`
	Checkins                int            `json:"checkins"`
	Joins                   int            `json:"joins"`
	Leaves                  int            `json:"leaves"`
	MessagesPerMemberPerDay float64        `json:"messages_per_member_per_day"`
	SpeakerShare            float64        `json:"speaker_share"`
	QuitRate                float64        `json:"quit_rate"`
	Segments                segmentsJSON   `json:"segments"`
	Daily                   []dayStatsJSON `json:"daily"`
}

func (s *server) statsRoutes(api gin.IRouter) {
	api.GET("/groups/:chatid/stats", s.getStats)
}

// getStats answers the group's activity over ?days= (default 7, at most
// rules.MaxStatsDays), today included.
func (s *server) getStats(c *gin.Context) {
	if s.Stats == nil {
		abortJSON(c, http.StatusServiceUnavailable, "stats not available")
		return
	}
	days, ok := rules.ParseStatsDays(c.Query("days"))
	if !ok {
		abortJSON(c, http.StatusBadRequest, fmt.Sprintf("days must be a number from 1 to %d", rules.MaxStatsDays))
		return
	}
	st, err := s.Stats.Stats(c.Request.Context(), c.Param("chatid"), days)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toStatsJSON(st))
}

func toStatsJSON(st rules.Stats) statsJSON {
	sg := st.Segments
	out := statsJSON{Days: st.Days, Members: st.Members, Messages: st.Total.Messages, Speakers: st.Speakers,
		Checkins: st.Total.Checkins, Joins: st.Total.Joins, Leaves: st.Total.Leaves,
		MessagesPerMemberPerDay: st.MessagesPerMemberPerDay, SpeakerShare: st.SpeakerShare, QuitRate: st.QuitRate,
		Segments: segmentsJSON{HighValue: sg.HighValue, Potential: sg.Potential, Silent: sg.Silent, Churned: sg.Churned},
		Daily:    make([]dayStatsJSON, len(st.Daily))}
	for i, d := range st.Daily {
		out.Daily[i] = dayStatsJSON{Day: d.Day, Messages: d.Messages, Speakers: d.Speakers, Checkins: d.Checkins,
			Joins: d.Joins, Leaves: d.Leaves}
	}
	return out
}
