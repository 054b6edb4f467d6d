package handlers

import "github.com/qunbot/qunbot/bot"

// aibotChannel is the 智能机器人: JSON envelopes, receiveid "", and a
// finished stream as the passive reply.
func (s *server) aibotChannel() *channel {
	return &channel{
		name:     endpointAIBot,
		crypto:   s.AIBot,
		envelope: bot.AIBotEncrypt,
		parse:    bot.ParseAIBot,
		reply: func(ev bot.Event, text, timestamp, nonce string) ([]byte, error) {
			if ev.Kind == bot.KindEnterChat {
				return s.AIBot.AIBotWelcome(text, timestamp, nonce)
			}
			return s.AIBot.AIBotReply(bot.StreamID(ev.ID), text, timestamp, nonce)
		},
		contentType: "application/json; charset=utf-8",
	}
}

// appChannel is the self-built app: XML envelopes, receiveid = corp id, and a
// text message to the sender as the passive reply.
func (s *server) appChannel() *channel {
	return &channel{
		name:     endpointApp,
		crypto:   s.App,
		envelope: bot.AppEncrypt,
		parse:    bot.ParseApp,
		reply: func(ev bot.Event, text, timestamp, nonce string) ([]byte, error) {
			return s.App.AppReply(ev.From, s.CorpID, text, timestamp, nonce, s.Now())
		},
		contentType: "application/xml; charset=utf-8",
	}
}
