package handlers

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/qunbot/qunbot/bot"
)

// receive handles an encrypted callback (POST): read, authenticate, decrypt,
// parse, then decide and reply. Nothing reaches the Decider unless every
// check passed.
func (s *server) receive(c *gin.Context, ch *channel) answer {
	q := readQuery(c)
	if q.signature == "" { // refused before the body is read
		return s.refuseSignature(ch, badSignature(ch, q, ""))
	}
	body, release, a, ok := s.readBody(c)
	if release != nil {
		defer release()
	}
	if !ok {
		return a
	}
	encrypted, err := ch.envelope(body)
	if err != nil {
		return reject(http.StatusBadRequest, outcomeMalformed)
	}
	if a, ok := s.authenticate(ch, q, encrypted); !ok {
		return a
	}
	plain, a, ok := s.decrypt(ch, encrypted)
	if !ok {
		return a
	}
	ev, err := ch.parse(plain)
	switch {
	case errors.Is(err, bot.ErrUnsupported):
		s.Log.Debug("callback ignored", "endpoint", ch.name, "err", err)
		return answer{status: http.StatusOK, outcome: outcomeUnsupported}
	case err != nil:
		s.Log.Warn("callback malformed", "endpoint", ch.name, "err", err)
		return reject(http.StatusBadRequest, outcomeMalformed)
	}
	if ev.At.IsZero() {
		ev.At = s.Now()
	}
	return s.dispatch(c.Request.Context(), ch, ev)
}
