package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/glebarez/go-sqlite" // database/sql driver "sqlite"
	mysqldrv "github.com/go-sql-driver/mysql"
	"github.com/redis/go-redis/v9"

	"github.com/qunbot/qunbot/bot"
)

// The floor is the least a durable turn can cost on the bench's stores, so
// that a run tells the machine's limit from the bot's own cost. Each callback
// is verified, decrypted and parsed as the bot does; with a Redis it takes
// the one pipelined round trip a turn's cheap state needs (a claim and a
// member's copy), shared by the turns waiting at that moment; then its
// delivery row is written in a group commit, one multi-row statement (MySQL)
// or one transaction (SQLite) for every turn waiting, and only then is it
// answered an empty 200. It decides nothing and keeps no roll-ups, members,
// ledger or replies: whatever the bot costs above it is the bot's own work.
// It talks to the databases directly, not through store: what it measures is
// the stores' floor, not qunbot's use of them.

// floorTable holds the floor's deliveries; it is dropped when the floor stops.
const floorTable = "bench_floor_deliveries"

// floorBatchMax bounds one shared pipeline or group commit, as the bot's do.
const floorBatchMax = 256

// floorTurn is one callback on its way through the floor.
type floorTurn struct {
	id, chatID, userID string
	at                 time.Time
	done               chan error
}

type floorServer struct {
	crypto  *bot.Crypto
	reads   chan *floorTurn // nil without a Redis
	commits chan *floorTurn
}

// benchFloor is the hidden `qunbot bench-floor <addr>`: the floor on the
// stores QUNBOT_MYSQL_DSN and QUNBOT_REDIS_URL name (SQLite in
// QUNBOT_DATA_DIR without a DSN), with the 智能机器人 keys of the environment.
func benchFloor(ctx context.Context, args []string, getenv func(string) string) error {
	if len(args) != 1 {
		return errors.New("usage: qunbot bench-floor <host:port>")
	}
	c, err := bot.NewCrypto(getenv("QUNBOT_AIBOT_TOKEN"), getenv("QUNBOT_AIBOT_AES_KEY"), "")
	if err != nil {
		return fmt.Errorf("bench-floor: 智能机器人 keys: %w", err)
	}
	db, write, err := openFloorDB(ctx, getenv("QUNBOT_MYSQL_DSN"), getenv("QUNBOT_DATA_DIR"))
	if err != nil {
		return err
	}
	defer func() {
		_, _ = db.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+floorTable)
		db.Close()
	}()
	f := &floorServer{crypto: c, commits: make(chan *floorTurn, 4*floorBatchMax)}
	go runBatches(ctx, f.commits, write)
	if u := getenv("QUNBOT_REDIS_URL"); u != "" {
		opt, err := redis.ParseURL(u)
		if err != nil {
			return fmt.Errorf("bench-floor: redis url: %w", err)
		}
		rdb := redis.NewClient(opt)
		defer rdb.Close()
		f.reads = make(chan *floorTurn, 4*floorBatchMax)
		go runBatches(ctx, f.reads, func(batch []*floorTurn) error { return floorRead(rdb, batch) })
	}
	ln, err := net.Listen("tcp", args[0])
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(http.ResponseWriter, *http.Request) {})
	mux.Handle("POST /wecom/aibot", f)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ServeHTTP takes one callback through the floor: 400 for one that does
// not verify or parse, 503 when a store failed, else an empty 200.
func (f *floorServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	t, err := f.parse(r, body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for _, stage := range []chan *floorTurn{f.reads, f.commits} {
		if stage == nil {
			continue
		}
		stage <- t
		if err := <-t.done; err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
	}
}

func (f *floorServer) parse(r *http.Request, body []byte) (*floorTurn, error) {
	q := r.URL.Query()
	enc, err := bot.ParseAIBotEnvelope(body)
	if err != nil {
		return nil, err
	}
	plain, err := f.crypto.Open(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), enc)
	if err != nil {
		return nil, err
	}
	ev, err := bot.ParseAIBot(plain)
	if err != nil {
		return nil, err
	}
	return &floorTurn{id: ev.ID, chatID: ev.ChatID, userID: ev.From, at: ev.At, done: make(chan error, 1)}, nil
}

// runBatches hands do every turn waiting in queue at a moment (up to
// floorBatchMax) and answers each with do's error, until ctx ends.
func runBatches(ctx context.Context, queue chan *floorTurn, do func([]*floorTurn) error) {
	for {
		var batch []*floorTurn
		select {
		case t := <-queue:
			batch = append(batch, t)
		case <-ctx.Done():
			return
		}
	gather:
		for len(batch) < floorBatchMax {
			select {
			case t := <-queue:
				batch = append(batch, t)
			default:
				break gather
			}
		}
		err := do(batch)
		for _, t := range batch {
			t.done <- err
		}
	}
}

// floorRead is a turn's cheap state, for a batch of turns in one pipeline:
// the delivery's claim and the member's copy.
func floorRead(rdb *redis.Client, batch []*floorTurn) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	pipe := rdb.Pipeline()
	for _, t := range batch {
		pipe.SetNX(ctx, "qunbot-bench-floor:claim:"+t.id, "1", 2*time.Minute)
		pipe.HGetAll(ctx, "qunbot-bench-floor:copy:"+t.chatID+":"+t.userID)
	}
	_, err := pipe.Exec(ctx)
	return err
}

// openFloorDB opens the floor's database (MySQL with a DSN, with arguments
// interpolated as the bot's are; else SQLite in dir, with the bot's journal
// mode and sync level), creates floorTable and returns how to write a batch
// of delivery rows.
func openFloorDB(ctx context.Context, dsn, dir string) (*sql.DB, func([]*floorTurn) error, error) {
	driver, source := "sqlite", filepath.Join(dir, "floor.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	if dsn != "" {
		c, err := mysqldrv.ParseDSN(dsn)
		if err != nil {
			return nil, nil, fmt.Errorf("bench-floor: mysql dsn: %w", err)
		}
		c.ParseTime, c.Loc, c.InterpolateParams = true, time.UTC, true // one round trip a statement, as the bot's
		driver, source = "mysql", c.FormatDSN()
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		return nil, nil, fmt.Errorf("bench-floor: open database: %w", err)
	}
	db.SetMaxOpenConns(1) // one group commit at a time
	if _, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+floorTable+
		" (event_id VARCHAR(191) NOT NULL PRIMARY KEY, chat_id VARCHAR(64) NOT NULL, user_id VARCHAR(64) NOT NULL, created_at DATETIME(3) NOT NULL)"); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("bench-floor: create %s: %w", floorTable, err)
	}
	if driver == "mysql" {
		return db, func(batch []*floorTurn) error { return floorInsertRows(db, batch) }, nil
	}
	return db, func(batch []*floorTurn) error { return floorInsertEach(db, batch) }, nil
}

const floorInsert = "INSERT INTO " + floorTable + " (event_id, chat_id, user_id, created_at) VALUES "

// floorInsertRows writes a batch in one multi-row statement: on MySQL, one
// round trip and one durable commit.
func floorInsertRows(db *sql.DB, batch []*floorTurn) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	args := make([]any, 0, 4*len(batch))
	for _, t := range batch {
		args = append(args, t.id, t.chatID, t.userID, t.at)
	}
	_, err := db.ExecContext(ctx, floorInsert+"(?, ?, ?, ?)"+strings.Repeat(", (?, ?, ?, ?)", len(batch)-1), args...)
	return err
}

// floorInsertEach writes a batch in one SQLite transaction, a row a run of
// one prepared statement, as the bot's group commit does there.
func floorInsertEach(db *sql.DB, batch []*floorTurn) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	stmt, err := tx.PrepareContext(ctx, floorInsert+"(?, ?, ?, ?)")
	if err != nil {
		return err
	}
	for _, t := range batch {
		if _, err := stmt.ExecContext(ctx, t.id, t.chatID, t.userID, t.at); err != nil {
			return err
		}
	}
	return tx.Commit()
}
