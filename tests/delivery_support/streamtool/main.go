// streamtool is the delivery tests' view of JetStream, through the Go NATS client:
//
//	streamtool -server URL add-stream NAME SUBJECT...   create a file-backed stream
//	streamtool -server URL publish SUBJECT DATA         publish one message, wait for its ack
//	streamtool -server URL dump NAME                    print every message of the stream
//
// dump writes one JSON object a line: {"seq", "subject", "data", "headers"}, with data
// as a string (the tests' messages are UTF-8 NDJSON lines) and headers as a map of lists.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func main() {
	server := flag.String("server", nats.DefaultURL, "NATS server URL")
	flag.Parse()
	if err := run(*server, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "streamtool:", err)
		os.Exit(1)
	}
}

func run(server string, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: streamtool -server URL add-stream|publish|dump ...")
	}
	nc, err := nats.Connect(server, nats.Timeout(5*time.Second))
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	switch {
	case args[0] == "add-stream" && len(args) >= 3:
		_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: args[1], Subjects: args[2:], Storage: jetstream.FileStorage})
		return err
	case args[0] == "publish" && len(args) == 3:
		_, err = js.Publish(ctx, args[1], []byte(args[2]))
		return err
	case args[0] == "dump" && len(args) == 2:
		return dump(ctx, js, args[1])
	}
	return fmt.Errorf("unknown command %q", args)
}

type record struct {
	Seq     uint64              `json:"seq"`
	Subject string              `json:"subject"`
	Data    string              `json:"data"`
	Headers map[string][]string `json:"headers,omitempty"`
}

// dump reads the stream from its first message to its last, with an ordered consumer.
func dump(ctx context.Context, js jetstream.JetStream, name string) error {
	stream, err := js.Stream(ctx, name)
	if err != nil {
		return err
	}
	info, err := stream.Info(ctx)
	if err != nil {
		return err
	}
	last := info.State.LastSeq
	if info.State.Msgs == 0 {
		return nil
	}
	consumer, err := stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return err
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	encoder := json.NewEncoder(out)
	for ctx.Err() == nil {
		batch, err := consumer.Fetch(1000, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			return err
		}
		for msg := range batch.Messages() {
			meta, err := msg.Metadata()
			if err != nil {
				return err
			}
			if err := encoder.Encode(record{meta.Sequence.Stream, msg.Subject(), string(msg.Data()), msg.Headers()}); err != nil {
				return err
			}
			if meta.Sequence.Stream >= last {
				return nil
			}
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
			return err
		}
	}
	return ctx.Err()
}
