package rules

import (
	"context"
	"fmt"
	"strings"

	"github.com/qunbot/qunbot/bot"
)

var shopCommand = &Command{
	Name: "shop", Aliases: []string{"商城"}, Usage: "商城 或 /shop",
	Summary: sayAboutShop, Run: runShop,
}

const redeemUsage = sayUseRedeem

var redeemCommand = &Command{
	Name: "redeem", Aliases: []string{"兑换"}, Glued: true, Usage: redeemUsage,
	Summary: sayAboutRedeem, Run: runRedeem,
}

func runShop(ctx context.Context, t *Turn, _ Args) (string, error) {
	items := t.Settings.Shop
	if len(items) == 0 {
		return sayShopEmpty, nil
	}
	lines := []string{sayShopTitle}
	for _, it := range items {
		sold, _, err := t.Tx.ShopUsage(ctx, t.Event.ChatID, it.Name, t.Event.From)
		if err != nil {
			return "", err
		}
		lines = append(lines, shopLine(it, sold))
	}
	return strings.Join(lines, "\n"), nil
}

func shopLine(it ShopItem, sold int) string {
	line := fmt.Sprintf(sayShopLine, it.Name, it.Cost)
	if it.Stock >= 0 {
		line += fmt.Sprintf(sayShopStock, max(it.Stock-sold, 0))
	}
	if it.Limit >= 0 {
		line += fmt.Sprintf(sayShopLimit, it.Limit)
	}
	return line
}

func findItem(items []ShopItem, name string) (ShopItem, bool) {
	for _, it := range items {
		if strings.EqualFold(it.Name, name) {
			return it, true
		}
	}
	return ShopItem{}, false
}

// checkRedeem decides a redemption from the locked balance and usage.
func checkRedeem(it ShopItem, balance, sold, mine int) error {
	switch {
	case it.Stock >= 0 && sold >= it.Stock:
		return Userf(sayShopSoldOut, it.Name)
	case it.Limit >= 0 && mine >= it.Limit:
		return Userf(sayShopLimitHit, it.Name, it.Limit, mine)
	case balance < it.Cost:
		return Userf(sayShopPoor, it.Name, it.Cost, balance)
	}
	return nil
}

// runRedeem checks balance, stock and limit under locks held until the turn
// commits, then debits the ledger, records the order (pending) and tells the
// owner its number.
func runRedeem(ctx context.Context, t *Turn, a Args) (string, error) {
	name := a.Raw
	if name == "" {
		return "", Userf(sayUsage, redeemUsage)
	}
	it, ok := findItem(t.Settings.Shop, name)
	if !ok {
		return "", Userf(sayShopNoItem, name)
	}
	chat, user := t.Event.ChatID, t.Event.From
	balance, err := t.Tx.LockPoints(ctx, chat, user)
	if err != nil {
		return "", err
	}
	sold, mine, err := t.Tx.ShopUsage(ctx, chat, it.Name, user)
	if err != nil {
		return "", err
	}
	if err := checkRedeem(it, balance, sold, mine); err != nil {
		return "", err
	}
	id, err := t.Tx.AddOrder(ctx, Order{ChatID: chat, UserID: user, Item: it.Name, Cost: it.Cost, EventID: t.Event.ID, At: t.Now})
	if err != nil {
		return "", err
	}
	_, err = t.Tx.AddEntry(ctx, LedgerEntry{
		ChatID: chat, UserID: user, Delta: -it.Cost, Kind: LedgerRedeem, Actor: user,
		Reason: fmt.Sprintf(sayRedeemReason, it.Name), IdemKey: t.Event.ID + ":redeem",
	})
	if err != nil {
		return "", err
	}
	notice := fmt.Sprintf(sayRedeemStaff,
		t.DisplayName(ctx, user), it.Name, it.Cost, id, id)
	if err := t.notifyOwner(ctx, notice); err != nil {
		return "", err
	}
	return fmt.Sprintf(sayRedeemed,
		it.Name, id, it.Cost, balance-it.Cost), nil
}

// notifyOwner sends the group owner (or, with no owner configured, the
// group's admins) an app message through the outbox.
func (t *Turn) notifyOwner(ctx context.Context, text string) error {
	to := []string{t.Settings.Owner}
	if t.Settings.Owner == "" {
		staff, err := t.Staff(ctx)
		if err != nil || len(staff) == 0 {
			return err
		}
		to = staff
	}
	t.Do(bot.Action{Kind: bot.ActAppMessage, ChatID: t.Event.ChatID, To: to, Text: t.staffHeader() + text})
	return nil
}
