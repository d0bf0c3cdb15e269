// The Go application of the delivery tests: it sends item_view v2 events of the
// example's backend-items environment through the langpack's HTTPSender, configured
// by the environment (CLICKSTREAM_COLLECTOR, CLICKSTREAM_SPOOL_DIR, DRIVER_*), records
// every line it hands to the sender in DRIVER_OUT, and prints its counters as JSON.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	lp "example.com/mkt/clickstream/backend-items"
)

func setting(name string, otherwise int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return otherwise
}

func main() {
	count, workers, invalid := setting("DRIVER_COUNT", 1000), setting("DRIVER_WORKERS", 4), setting("DRIVER_INVALID", 0)
	rate, tag, settle := setting("DRIVER_RATE", 0), setting("DRIVER_TAG", 1), setting("DRIVER_SETTLE", 30)
	if uids := setting("DRIVER_UIDS", 0); uids > 0 {
		makeUIDs(uids, workers)
		return
	}
	sender := lp.NewHTTPSender(lp.HTTPSenderOptions{
		BatchSize:     setting("DRIVER_BATCH", 50),
		QueueTimeout:  time.Duration(setting("DRIVER_BLOCK_MS", 0)) * time.Millisecond,
		FlushInterval: 20 * time.Millisecond,
		Timeout:       time.Second,
		MaxRetries:    2,
		Backoff:       20 * time.Millisecond,
		MaxBackoff:    200 * time.Millisecond,
	})
	client, err := lp.NewClient(lp.NewCommon("4bf92f3577b34da6a3ce929d0e0e4736"), sender)
	if err != nil {
		panic(err)
	}
	// DRIVER_OUT empty: nothing recorded (the benchmark); DRIVER_MODE=encode: nothing sent
	encodeOnly := os.Getenv("DRIVER_MODE") == "encode"
	file, err := os.Create(os.Getenv("DRIVER_OUT"))
	if os.Getenv("DRIVER_OUT") == "" {
		file, err = os.Create(os.DevNull)
	}
	if err != nil {
		panic(err)
	}
	out := bufio.NewWriter(file)
	var mu sync.Mutex
	var slowest time.Duration
	record := func(line []byte) {
		mu.Lock()
		defer mu.Unlock()
		out.Write(line)
		out.WriteByte('\n')
	}
	send := func(line []byte) {
		if encodeOnly {
			return
		}
		started := time.Now()
		_ = sender.Send(context.Background(), line)
		took := time.Since(started)
		mu.Lock()
		if took > slowest {
			slowest = took
		}
		mu.Unlock()
	}
	var gap time.Duration
	if rate > 0 {
		gap = time.Duration(int64(time.Second) * int64(workers) / int64(rate))
	}
	handing := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < count; i += workers {
				line, err := client.Encode(lp.NewItemViewV2(int64(tag)*10_000_000+int64(i)+1, int64(w)+1))
				if err != nil {
					panic(err)
				}
				record(line)
				send(line)
				if i < invalid {
					// what a broken or foreign sender might post: the collector keeps it apart
					send([]byte(fmt.Sprintf(`{"broken":%d,"tag":%d}`, i, tag)))
				}
				if gap > 0 {
					time.Sleep(gap)
				}
			}
		}(w)
	}
	wg.Wait()
	handed := time.Since(handing)
	mu.Lock()
	out.Flush()
	file.Close()
	mu.Unlock()
	given := uint64(count + min(invalid, count))
	if os.Getenv("DRIVER_HOLD") == "1" {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		_ = sender.Flush(ctx)
		cancel()
		summary(sender.Stats(), slowest, 0, handed)
		fmt.Println("flushed")
		select {} // until killed
	}
	deadline := time.Now().Add(time.Duration(settle) * time.Second)
	for time.Now().Before(deadline) {
		// settled: every event of this run delivered or dropped, and the spool empty
		// (it may hold the events of an earlier run)
		left, _ := filepath.Glob(filepath.Join(os.Getenv("CLICKSTREAM_SPOOL_DIR"), "*.ndjson"))
		if s := sender.Stats(); s.Sent+s.Dropped >= given && (os.Getenv("CLICKSTREAM_SPOOL_DIR") == "" || len(left) == 0) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_ = sender.Close(ctx)
	cancel()
	summary(sender.Stats(), slowest, time.Since(started), handed)
}

func summary(s lp.SenderStats, slowest, closing, handed time.Duration) {
	text, _ := json.Marshal(map[string]interface{}{
		"sent": s.Sent, "dropped": s.Dropped, "failed": s.Failed, "retried": s.Retries, "batches": s.Batches,
		"spooled": s.Spooled, "replayed": s.Replayed,
		"max_send_ms": float64(slowest) / 1e6, "close_ms": float64(closing) / 1e6, "hand_ms": float64(handed) / 1e6,
	})
	fmt.Println(string(text))
}

// makeUIDs writes "worker uid" lines: each worker stamps n events, as an application does.
func makeUIDs(n, workers int) {
	made := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range made {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			uids := make([]string, n)
			for i := range uids {
				uids[i] = lp.NewItemViewV2(1, 1).EventUID()
			}
			made[w] = uids
		}(w)
	}
	wg.Wait()
	file, err := os.Create(os.Getenv("DRIVER_OUT"))
	if err != nil {
		panic(err)
	}
	out := bufio.NewWriter(file)
	for w, uids := range made {
		for _, uid := range uids {
			fmt.Fprintf(out, "%d %s\n", w, uid)
		}
	}
	out.Flush()
	file.Close()
}
