package rules

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// Orders: every redemption is an order, pending until an admin marks it
// handed over (/orders done) or refunds it (/orders refund). A refund writes
// a `refund` ledger row that gives the points back, returns the item to
// stock (and to the member's limit), and tells the member.

// Order states; stored values, never renamed.
const (
	OrderPending  = "pending"
	OrderDone     = "done"
	OrderRefunded = "refunded"
)

// Orders reads and settles orders. They join Tx.
type Orders interface {
	// Orders are a group's orders, newest first, as q selects them.
	Orders(ctx context.Context, chatID string, q OrderQuery) ([]Order, error)
	// Order is one order, or ErrNotFound.
	Order(ctx context.Context, id int64) (Order, error)
	// SettleOrder moves an order from one of the states in from to to,
	// recording who and when; settled is false when it was in none of them
	// (someone settled it first).
	SettleOrder(ctx context.Context, id int64, from []string, to, by, reason string, at time.Time) (settled bool, err error)
	// ReturnStock takes one redemption of item back from the group's and the
	// member's counts.
	ReturnStock(ctx context.Context, chatID, item, userID string) error
}

// OrderQuery selects orders: Status and UserID ("" for any), at most Limit.
type OrderQuery struct {
	Status string
	UserID string
	Limit  int
}

// OrderStates are the states, in the order orders move through them.
var OrderStates = []string{OrderPending, OrderDone, OrderRefunded}

var orderStateNames = map[string]string{OrderPending: sayOrderPending, OrderDone: sayOrderHanded, OrderRefunded: sayOrderRefundedState}

const ordersUsage = sayUseOrders

var ordersCommand = &Command{
	Name: "orders", Aliases: []string{"订单"}, Usage: ordersUsage, Role: RoleAdmin,
	Summary: sayAboutOrders, Run: runOrders,
}

var myOrdersCommand = &Command{
	Name: "myorders", Aliases: []string{"我的订单"}, Usage: "我的订单 或 /myorders",
	Summary: sayAboutMyorders, Run: runMyOrders,
}

// ordersShown is how many orders a chat list shows.
const ordersShown = 20

func runOrders(ctx context.Context, t *Turn, a Args) (string, error) {
	sub := strings.ToLower(a.Get(0))
	if len(a.Fields) <= 1 { // a list: /orders, /orders pending|all|done|refunded
		switch sub {
		case "", OrderPending, "all", OrderDone, OrderRefunded:
			return listOrders(ctx, t, sub)
		}
		return "", Userf(sayUsage, ordersUsage)
	}
	if sub != "done" && sub != "refund" {
		return "", Userf(sayUsage, ordersUsage)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(a.Get(1), "#"), 10, 64)
	if err != nil {
		return "", Userf(sayUsage, ordersUsage)
	}
	o, err := t.Tx.Order(ctx, id)
	if errors.Is(err, ErrNotFound) || (err == nil && o.ChatID != t.Event.ChatID) {
		return "", Userf(sayOrderNone, id)
	}
	if err != nil {
		return "", err
	}
	if sub == "done" {
		return orderDone(ctx, t, o)
	}
	return refundOrder(ctx, t, o, a.Rest(2))
}

func listOrders(ctx context.Context, t *Turn, status string) (string, error) {
	q := OrderQuery{Status: status, Limit: ordersShown}
	switch status {
	case "":
		q.Status = OrderPending
	case "all":
		q.Status = ""
	}
	list, err := t.Tx.Orders(ctx, t.Event.ChatID, q)
	if err != nil {
		return "", err
	}
	what := sayOrdersAll
	if q.Status != "" {
		what = orderStateNames[q.Status]
	}
	if len(list) == 0 {
		return fmt.Sprintf(sayOrdersEmpty, what), nil
	}
	lines := []string{fmt.Sprintf(sayOrdersTitle, what, len(list))}
	for _, o := range list {
		lines = append(lines, fmt.Sprintf(sayOrdersLine, o.ID, t.sayMoment(o.At),
			t.DisplayName(ctx, o.UserID), o.Item, o.Cost, orderStateNames[o.Status]))
	}
	if q.Status == OrderPending {
		lines = append(lines, sayOrdersHint)
	}
	return strings.Join(lines, "\n"), nil
}

func runMyOrders(ctx context.Context, t *Turn, _ Args) (string, error) {
	list, err := t.Tx.Orders(ctx, t.Event.ChatID, OrderQuery{UserID: t.Event.From, Limit: 10})
	if err != nil {
		return "", err
	}
	if len(list) == 0 {
		return sayMyOrdersEmpty, nil
	}
	lines := []string{sayMyOrdersTitle}
	for _, o := range list {
		lines = append(lines, fmt.Sprintf(sayMyOrdersLine, o.ID, sayDate(o.At.In(t.e.loc).Format(time.DateOnly)),
			o.Item, o.Cost, orderStateNames[o.Status]))
	}
	return strings.Join(lines, "\n"), nil
}

// orderDone marks a pending order handed over.
func orderDone(ctx context.Context, t *Turn, o Order) (string, error) {
	ok, err := t.Tx.SettleOrder(ctx, o.ID, []string{OrderPending}, OrderDone, t.Event.From, "", t.Now)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", Userf(sayOrderNotPending, o.ID, orderStateNames[o.Status])
	}
	return fmt.Sprintf(sayOrderDone, o.ID, t.DisplayName(ctx, o.UserID), o.Item), nil
}

// refundOrder gives the points back with a refund ledger row, returns the
// item to stock and tells the member. A pending or handed-over order can be
// refunded, once.
func refundOrder(ctx context.Context, t *Turn, o Order, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if err := checkLen(sayFieldReason, reason, MaxReasonLen); err != nil {
		return "", err
	}
	ok, err := t.Tx.SettleOrder(ctx, o.ID, []string{OrderPending, OrderDone}, OrderRefunded, t.Event.From, reason, t.Now)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", Userf(sayOrderRefunded, o.ID)
	}
	why := fmt.Sprintf(sayRefundReason, o.ID, o.Item)
	if reason != "" {
		why += "：" + reason
	}
	_, err = t.Tx.AddEntry(ctx, LedgerEntry{ChatID: o.ChatID, UserID: o.UserID, Delta: o.Cost, Kind: LedgerRefund,
		Actor: t.Event.From, Reason: why, IdemKey: fmt.Sprintf("order:%d:refund", o.ID)})
	if err != nil {
		return "", err
	}
	if err := t.Tx.ReturnStock(ctx, o.ChatID, o.Item, o.UserID); err != nil {
		return "", err
	}
	note := fmt.Sprintf(sayRefundNote, o.ID, o.Item, o.Cost)
	if reason != "" {
		note += fmt.Sprintf(sayRefundWhy, reason)
	}
	if err := t.tellMember(ctx, o.UserID, note); err != nil {
		return "", err
	}
	return fmt.Sprintf(sayRefundDone,
		o.ID, t.DisplayName(ctx, o.UserID), o.Cost, o.Item), nil
}

// tellMember sends a member a private note from the app. A customer in an
// external group is not in the address book and cannot get app messages:
// there the note goes to the owner and admins to pass on.
func (t *Turn) tellMember(ctx context.Context, userID, text string) error {
	if t.Settings.Kind != KindExternal {
		t.Do(bot.Action{Kind: bot.ActAppMessage, ChatID: t.Event.ChatID, To: []string{userID}, Text: t.staffHeader() + text})
		return nil
	}
	_, err := t.tellStaff(ctx, fmt.Sprintf(sayTellMember, t.DisplayName(ctx, userID), text))
	return err
}
