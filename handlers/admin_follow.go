package handlers

import (
	"context"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/qunbot/qunbot/rules"
)

// OrderReader lists a group's shop orders, newest first: those in status
// ("" for all), at most limit.
type OrderReader interface {
	OrdersOf(ctx context.Context, chatID, status string, limit int) ([]rules.Order, error)
}

// ScheduleReader lists a group's scheduled posts.
type ScheduleReader interface {
	SchedulesOf(ctx context.Context, chatID string) ([]rules.ScheduleView, error)
}

const (
	defaultOrderLimit = 200
	maxOrderLimit     = 5000
)

// orderJSON is one order of INTERFACE.md section 8.
type orderJSON struct {
	ID        int64   `json:"id"`
	UserID    string  `json:"userid"`
	Item      string  `json:"item"`
	Cost      int     `json:"cost"`
	Status    string  `json:"status"`
	CreatedAt *string `json:"created_at"`
	DecidedBy string  `json:"decided_by"`
	DecidedAt *string `json:"decided_at"`
}

// scheduleJSON is one scheduled post.
type scheduleJSON struct {
	ID        int64   `json:"id"`
	Spec      string  `json:"spec"`
	Text      string  `json:"text"`
	CreatedBy string  `json:"created_by"`
	CreatedAt *string `json:"created_at"`
	NextRun   *string `json:"next_run"`
}

func (s *server) followRoutes(api gin.IRouter) {
	api.GET("/groups/:chatid/orders", s.listOrders)
	api.GET("/groups/:chatid/schedules", s.listSchedules)
}

// listOrders answers {"entries":[...]}, newest first, of ?status=pending|done|refunded
// (all without it), at most ?limit= (default 200).
func (s *server) listOrders(c *gin.Context) {
	if s.Orders == nil {
		abortJSON(c, http.StatusServiceUnavailable, "orders not available")
		return
	}
	status := c.Query("status")
	if status != "" && !slices.Contains(rules.OrderStates, status) {
		abortJSON(c, http.StatusBadRequest, "status must be pending, done or refunded")
		return
	}
	limit, ok := queryLimit(c, defaultOrderLimit, maxOrderLimit)
	if !ok {
		return
	}
	list, err := s.Orders.OrdersOf(c.Request.Context(), c.Param("chatid"), status, limit)
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]orderJSON, 0, len(list))
	for _, o := range list {
		at := o.At
		out = append(out, orderJSON{ID: o.ID, UserID: o.UserID, Item: o.Item, Cost: o.Cost, Status: o.Status,
			CreatedAt: s.timeJSON(&at), DecidedBy: o.DecidedBy, DecidedAt: s.timeJSON(o.DecidedAt)})
	}
	c.JSON(http.StatusOK, gin.H{"entries": out})
}

// listSchedules answers {"entries":[...]}: the group's scheduled posts,
// oldest first, with their next run.
func (s *server) listSchedules(c *gin.Context) {
	if s.Schedules == nil {
		abortJSON(c, http.StatusServiceUnavailable, "schedules not available")
		return
	}
	list, err := s.Schedules.SchedulesOf(c.Request.Context(), c.Param("chatid"))
	if err != nil {
		s.fail(c, err)
		return
	}
	out := make([]scheduleJSON, 0, len(list))
	for _, p := range list {
		at := p.CreatedAt
		out = append(out, scheduleJSON{ID: p.ID, Spec: p.Spec, Text: p.Text, CreatedBy: p.CreatedBy,
			CreatedAt: s.timeJSON(&at), NextRun: s.timeJSON(p.NextRun)})
	}
	c.JSON(http.StatusOK, gin.H{"entries": out})
}
