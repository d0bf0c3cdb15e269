// loadgen posts NDJSON batches to a collector as fast as it takes them, from several
// connections, for a fixed time, and prints what was accepted as JSON.
//
// Every event is a line of -lines with a fresh event_uid (a counter in UUID form), so
// the collector's duplicate check never drops one: what is counted was stored.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	url := flag.String("url", "", "collector URL, e.g. http://127.0.0.1:4151/v1/events")
	linesFile := flag.String("lines", "", "NDJSON file of valid events")
	batch := flag.Int("batch", 500, "events per request")
	connections := flag.Int("connections", 4, "concurrent requests")
	duration := flag.Duration("duration", 5*time.Second, "how long to post")
	flag.Parse()
	lines, err := readLines(*linesFile)
	if err != nil || len(lines) == 0 || *url == "" {
		fmt.Fprintln(os.Stderr, "loadgen: need -url and a non-empty -lines file:", err)
		os.Exit(2)
	}
	var counter, accepted, refused, requests atomic.Uint64
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *connections}, Timeout: 30 * time.Second}
	deadline := time.Now().Add(*duration)
	started := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < *connections; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			var body bytes.Buffer
			for i := c; time.Now().Before(deadline); i++ {
				body.Reset()
				for j := 0; j < *batch; j++ {
					writeLine(&body, lines[(i*(*batch)+j)%len(lines)], counter.Add(1))
				}
				response, err := client.Post(*url, "application/x-ndjson", bytes.NewReader(body.Bytes()))
				requests.Add(1)
				if err != nil {
					refused.Add(uint64(*batch))
					continue
				}
				_, _ = io.Copy(io.Discard, response.Body)
				response.Body.Close()
				if response.StatusCode == http.StatusOK {
					accepted.Add(uint64(*batch))
				} else {
					refused.Add(uint64(*batch))
				}
			}
		}(c)
	}
	wg.Wait()
	seconds := time.Since(started).Seconds()
	_ = json.NewEncoder(os.Stdout).Encode(map[string]interface{}{
		"events": accepted.Load(), "refused": refused.Load(), "requests": requests.Load(),
		"seconds": seconds, "events_per_second": float64(accepted.Load()) / seconds,
	})
}

// run makes this run's uids differ from another run's against the same broker,
// whose duplicate window would drop a repeated uid.
var run = uint32(time.Now().UnixNano())

// writeLine writes the line with its uid replaced by one made from n.
func writeLine(out *bytes.Buffer, line string, n uint64) {
	const key = `"event_uid":"`
	i := strings.Index(line, key)
	if i < 0 || len(line) < i+len(key)+36 {
		out.WriteString(line)
		out.WriteByte('\n')
		return
	}
	start := i + len(key)
	out.WriteString(line[:start])
	fmt.Fprintf(out, "%08x-%04x-7000-8000-%012x", run, uint16(n>>48), n&0xffffffffffff)
	out.WriteString(line[start+36:])
	out.WriteByte('\n')
}

func readLines(path string) ([]string, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	var lines []string
	scanner := bufio.NewScanner(file)
	scanner.Buffer(nil, 16<<20)
	for scanner.Scan() {
		if line := strings.TrimSpace(scanner.Text()); line != "" {
			lines = append(lines, line)
		}
	}
	return lines, scanner.Err()
}
