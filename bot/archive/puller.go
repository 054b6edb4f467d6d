package archive

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/qunbot/qunbot/bot"
)

// Cursor is where the puller keeps the seq it has handled everything up to.
type Cursor interface {
	ArchiveCursor(ctx context.Context) (int64, error)
	// SaveArchiveCursor moves the cursor forward to seq (never back).
	SaveArchiveCursor(ctx context.Context, seq int64) error
}

// Lease keeps two replicas from pulling at the same time (store.Lease).
type Lease interface {
	Acquire(ctx context.Context, ttl time.Duration) (bool, error)
	Renew(ctx context.Context, ttl time.Duration) (bool, error)
	Release(ctx context.Context) error
}

// Puller pulls the archive after the cursor and hands every group message
// to the engine.
type Puller struct {
	Source Source
	Keys   *Keys
	Cursor Cursor
	Lease  Lease
	Engine bot.Decider
	// Bots are the senders whose archived messages are the bot's own.
	Bots map[string]bool
	// Batch is the records asked for at once (at most MaxBatch).
	Batch int
	// Lanes handle a batch's records at once; the records of one member
	// (group and sender) always go to the same lane, in seq order.
	Lanes int
	// Decoders decrypt records at once (by default half the CPUs, at least
	// one): RSA is the costly step, and the rest is left to live traffic.
	Decoders int
	// Poll is the safety-net timer: a pull even without msgaudit_notify.
	Poll time.Duration
	// Skip reports an engine error that retrying cannot cure (the record is
	// logged and passed); any other error stops the batch before the
	// cursor moves, and the next pull starts again from the cursor.
	Skip func(err error) bool
	// Observe counts each record's outcome: handled, skipped_<reason>, failed.
	Observe func(outcome string)
	// Saved hears every cursor the puller saved.
	Saved func(seq int64)
	Log   *slog.Logger

	wake chan struct{}
	once sync.Once
}

// leaseTTL is how long the pulling replica holds the lease without renewing
// it; it renews every third of that while it pulls. A replica killed while
// pulling holds up the others that long.
const leaseTTL = 15 * time.Second

// ErrBusy says another replica holds the pull lease.
var ErrBusy = errors.New("archive: another replica is pulling")

func (p *Puller) init() {
	p.once.Do(func() {
		p.wake = make(chan struct{}, 1)
		if p.Batch <= 0 || p.Batch > MaxBatch {
			p.Batch = MaxBatch
		}
		if p.Lanes <= 0 {
			p.Lanes = 4
		}
		if p.Decoders <= 0 {
			p.Decoders = max(1, runtime.GOMAXPROCS(0)/2)
		}
		if p.Poll <= 0 {
			p.Poll = time.Minute
		}
		if p.Log == nil {
			p.Log = slog.New(slog.DiscardHandler)
		}
		if p.Observe == nil {
			p.Observe = func(string) {}
		}
		if p.Skip == nil {
			p.Skip = func(error) bool { return false }
		}
		if p.Saved == nil {
			p.Saved = func(int64) {}
		}
	})
}

// Wake asks for a pull now (msgaudit_notify). It never blocks.
func (p *Puller) Wake() {
	p.init()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run pulls at start, on every Wake and every Poll, until ctx ends.
func (p *Puller) Run(ctx context.Context) {
	p.init()
	timer := time.NewTimer(0) // at start
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-p.wake:
		}
		next := p.Poll
		switch n, err := p.Pull(ctx); {
		case errors.Is(err, ErrBusy):
			next = time.Second // the holder may be finishing: look again soon
		case err != nil && ctx.Err() == nil:
			p.Log.Warn("archive pull stopped", "after", n, "err", err)
			next = min(next, 5*time.Second)
		case n > 0:
			p.Log.Debug("archive pulled", "records", n)
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(next)
	}
}

// Pull takes the lease and works through every record after the cursor,
// batch by batch, saving the cursor after each. It returns the number of
// records handled; ErrBusy when another replica holds the lease.
func (p *Puller) Pull(ctx context.Context) (int, error) {
	p.init()
	ok, err := p.Lease.Acquire(ctx, leaseTTL)
	if err != nil {
		return 0, fmt.Errorf("archive: lease: %w", err)
	}
	if !ok {
		return 0, ErrBusy
	}
	defer func() { _ = p.Lease.Release(context.WithoutCancel(ctx)) }()
	ctx, lost := p.holdLease(ctx)
	defer lost(nil)
	seq, err := p.Cursor.ArchiveCursor(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	next := p.prepare(ctx, seq)
	for {
		b := <-next
		if b.err != nil {
			return total, b.err
		}
		if len(b.recs) == 0 {
			return total, nil
		}
		seq = b.recs[len(b.recs)-1].Seq
		next = p.prepare(ctx, seq) // the next batch is fetched and decrypted while this one is handled
		if err := p.handleDecoded(ctx, b.decoded); err != nil {
			return total, err
		}
		// Every record up to seq is durable: only now may the cursor pass it.
		if err := p.Cursor.SaveArchiveCursor(ctx, seq); err != nil {
			return total, err
		}
		p.Saved(seq)
		total += len(b.recs)
	}
}

// preparedBatch is a batch fetched after a cursor and decrypted.
type preparedBatch struct {
	recs    []Record
	decoded []Decoded
	err     error
}

// prepare fetches and decrypts the batch after seq in the background. The
// next batch's RSA work so overlaps the current batch's turns, and it runs
// on Decoders goroutines only, so a draining backlog leaves CPU for live
// callbacks.
func (p *Puller) prepare(ctx context.Context, seq int64) <-chan preparedBatch {
	out := make(chan preparedBatch, 1)
	go func() {
		recs, err := p.Source.GetChatData(ctx, seq, p.Batch)
		if err != nil || len(recs) == 0 {
			out <- preparedBatch{err: err}
			return
		}
		decoded := make([]Decoded, len(recs))
		err = p.decodeAll(ctx, recs, decoded)
		out <- preparedBatch{recs: recs, decoded: decoded, err: err}
	}()
	return out
}

// errLeaseLost ends a pull whose lease could not be renewed: another replica
// may be pulling now.
var errLeaseLost = errors.New("archive: pull lease lost")

// holdLease renews the lease while the pull runs; the returned context ends
// when a renewal fails, and the returned func stops the renewals.
func (p *Puller) holdLease(ctx context.Context) (context.Context, context.CancelCauseFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	go func() {
		tick := time.NewTicker(leaseTTL / 3)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if held, err := p.Lease.Renew(ctx, leaseTTL); ctx.Err() == nil && (err != nil || !held) {
					cancel(errors.Join(errLeaseLost, err))
					return
				}
			}
		}
	}()
	return ctx, cancel
}

// handleDecoded hands the decrypted records to the engine in lanes: one
// member's records in seq order on one lane, different members at once.
func (p *Puller) handleDecoded(ctx context.Context, events []Decoded) error {
	byLane := make([][]bot.Event, p.Lanes)
	for _, d := range events {
		if d.Skip {
			p.Observe("skipped_" + d.SkipReason)
			continue
		}
		lane := laneOf(d.Event, p.Lanes)
		byLane[lane] = append(byLane[lane], d.Event)
	}
	errs := make([]error, p.Lanes)
	var wg sync.WaitGroup
	for i, evs := range byLane {
		if len(evs) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.handleLane(ctx, evs)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// decodeAll decrypts every record, Decoders at a time (the RSA step is the
// costly part). A record that cannot be opened is logged and skipped: no
// retry can open it, and holding the cursor would stop the archive.
func (p *Puller) decodeAll(ctx context.Context, recs []Record, out []Decoded) error {
	var wg sync.WaitGroup
	next := make(chan int)
	for range p.Decoders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				d, err := p.decodeRecord(recs[i])
				if err != nil {
					p.Log.Error("archive record skipped", "seq", recs[i].Seq, "msg_id", recs[i].MsgID, "err", err)
					d = skipped("undecryptable")
				}
				out[i] = d
			}
		}()
	}
	for i := range recs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return ctx.Err()
}

func (p *Puller) decodeRecord(r Record) (Decoded, error) {
	key, err := p.Keys.OpenRandomKey(r.PublicKeyVer, r.EncryptRandomKey)
	if err != nil {
		return Decoded{}, err
	}
	plain, err := p.Source.DecryptData(key, r.EncryptChatMsg)
	if err != nil {
		return Decoded{}, err
	}
	return decode(plain, p.Bots)
}

func (p *Puller) handleLane(ctx context.Context, evs []bot.Event) error {
	for _, ev := range evs {
		_, err := p.Engine.Handle(ctx, ev)
		switch {
		case err == nil:
			p.Observe("handled")
		case p.Skip(err):
			p.Observe("failed")
			p.Log.Error("archive message not handled", "msg_id", ev.ID, "chat_id", ev.ChatID, "err", err)
		default:
			return fmt.Errorf("archive: handle %s: %w", ev.ID, err)
		}
	}
	return nil
}

// laneOf keeps one member's messages on one lane.
func laneOf(ev bot.Event, lanes int) int {
	h := fnv.New32a()
	h.Write([]byte(ev.ChatID))
	h.Write([]byte{0})
	h.Write([]byte(ev.From))
	return int(h.Sum32() % uint32(lanes))
}
