package rules

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// QuizJob is the scheduled job that fails entry quizzes left unanswered past
// welcome.quiz.timeout.
const QuizJob = "quiz_check"

// quizReason is the violation reason of an unanswered entry quiz.
const quizReason = sayQuizReason

// runQuiz is the message stage that takes a newcomer's answer to the entry
// quiz (welcome.quiz). While the quiz is pending every message of theirs is
// taken as an answer; past the timeout it is failed, a violation that ends
// the turn.
func runQuiz(ctx context.Context, t *Turn) error {
	q := t.Settings.Quiz
	if t.Event.ChatID == "" || t.Direct || q.Question == "" {
		return nil
	}
	j, err := t.Tx.LatestJoin(ctx, t.Event.ChatID, t.Event.From)
	if errors.Is(err, ErrNotFound) || (err == nil && (j.Quiz != QuizPending || j.LeftAt != nil)) {
		return nil
	}
	if err != nil {
		return err
	}
	if !t.Now.Before(*j.QuizDue) {
		t.Done() // like any violation, the message earns nothing and gets no reply
		return failQuiz(ctx, t, j)
	}
	t.Done()
	if !quizAnswered(t.Event.Text, q.Answers) {
		t.Reply(fmt.Sprintf(sayReplyWrongAnswer, q.Question))
		return nil
	}
	j.Quiz = QuizPassed
	t.Reply(fmt.Sprintf(sayReplyRightAnswer, t.GroupName()))
	return t.Tx.SaveJoin(ctx, j)
}

// quizAnswered reports whether text gives one of the accepted answers (case
// and spaces ignored); with no answers configured any reply passes.
func quizAnswered(text string, answers []string) bool {
	got := foldText(text)
	if got == "" {
		return false
	}
	if len(answers) == 0 {
		return true
	}
	for _, a := range answers {
		if want := foldText(a); want != "" && (got == want || strings.Contains(got, want)) {
			return true
		}
	}
	return false
}

// checkQuizzes fails the turn's group's quizzes that are past their timeout.
func checkQuizzes(ctx context.Context, t *Turn) error {
	open, err := t.Tx.OpenJoins(ctx, t.Event.ChatID)
	if err != nil {
		return err
	}
	for _, j := range open {
		if j.Quiz == QuizPending && j.QuizDue != nil && !t.Now.Before(*j.QuizDue) {
			if err := failQuiz(ctx, t, j); err != nil {
				return err
			}
		}
	}
	return nil
}

func failQuiz(ctx context.Context, t *Turn, j Join) error {
	j.Quiz = QuizFailed
	if err := t.Tx.SaveJoin(ctx, j); err != nil {
		return err
	}
	return quizViolation(ctx, t, j.UserID)
}

// ViolationQuiz is the violation kind of an entry quiz left unanswered;
// a stored value.
const ViolationQuiz = "quiz"

// quizViolation runs an unanswered quiz through the moderation ladder and
// says so: in the passive reply when the newcomer just spoke, otherwise the
// way section 7.2 says.
func quizViolation(ctx context.Context, t *Turn, userID string) error {
	notice, err := t.punish(ctx, offence{User: userID, Kind: ViolationQuiz, Reason: quizReason,
		Evidence: t.Settings.Quiz.Question, Actor: botActor})
	if err != nil || notice == "" {
		return err
	}
	return t.announce(ctx, notice, userID)
}

// quizJob fails overdue quizzes once a minute in groups that ask one.
var quizJob = scheduledJob{
	Job: QuizJob,
	Next: func(s *Settings, after time.Time) (time.Time, bool) {
		return after.Truncate(time.Minute).Add(time.Minute), s.Quiz.Question != ""
	},
	Run:     func(at time.Time) string { return at.Format("2006-01-02T15:04") },
	CatchUp: time.Minute,
	Poll:    true,
	Handle:  checkQuizzes,
}
