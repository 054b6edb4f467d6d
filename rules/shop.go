package rules

import (
	"context"
	"fmt"
	"strings"

	"github.com/qunbot/qunbot/bot"
)

var shopCommand = &Command{
	Name: "shop", Aliases: []string{"商城"}, Usage: "商城 或 /shop",
	Summary: "查看可兑换的奖励", Run: runShop,
}

const redeemUsage = "兑换 <奖品> 或 /redeem <奖品>"

var redeemCommand = &Command{
	Name: "redeem", Aliases: []string{"兑换"}, Glued: true, Usage: redeemUsage,
	Summary: "用积分兑换奖励", Run: runRedeem,
}

func runShop(ctx context.Context, t *Turn, _ Args) (string, error) {
	items := t.Settings.Shop
	if len(items) == 0 {
		return "本群商城还没有上架奖品（管理员可用 /config shop 名称:积分[:库存[:每人限兑]] 设置）。", nil
	}
	lines := []string{"积分商城（发送「兑换 奖品名」兑换）："}
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
	line := fmt.Sprintf("· %s — %d 积分", it.Name, it.Cost)
	if it.Stock >= 0 {
		line += fmt.Sprintf("，剩余 %d", max(it.Stock-sold, 0))
	}
	if it.Limit >= 0 {
		line += fmt.Sprintf("，每人限兑 %d", it.Limit)
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
		return Userf("「%s」已经兑完了。", it.Name)
	case it.Limit >= 0 && mine >= it.Limit:
		return Userf("「%s」每人限兑 %d 次，你已经兑换过 %d 次。", it.Name, it.Limit, mine)
	case balance < it.Cost:
		return Userf("积分不足：「%s」需要 %d 积分，你现在有 %d。", it.Name, it.Cost, balance)
	}
	return nil
}

// runRedeem checks balance, stock and limit under locks held until the turn
// commits, then debits the ledger, records the order (pending) and tells the
// owner its number.
func runRedeem(ctx context.Context, t *Turn, a Args) (string, error) {
	name := a.Raw
	if name == "" {
		return "", Userf("用法：%s", redeemUsage)
	}
	it, ok := findItem(t.Settings.Shop, name)
	if !ok {
		return "", Userf("商城里没有「%s」，发送「商城」查看奖品。", name)
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
		Reason: "兑换 " + it.Name, IdemKey: t.Event.ID + ":redeem",
	})
	if err != nil {
		return "", err
	}
	notice := fmt.Sprintf("%s 兑换了「%s」（%d 积分），订单 #%d，请安排发放；发放后发送 /orders done %d。",
		t.DisplayName(ctx, user), it.Name, it.Cost, id, id)
	if err := t.notifyOwner(ctx, notice); err != nil {
		return "", err
	}
	return fmt.Sprintf("兑换成功：「%s」，订单 #%d，消耗 %d 积分，剩余 %d。群主会尽快为你发放，发送「我的订单」查看进度。",
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
