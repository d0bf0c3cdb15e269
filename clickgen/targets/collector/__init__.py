"""The collector target: `target.CollectorTarget` generates a Go program that receives
the langpacks' NDJSON batches, validates them and stores them in NATS JetStream."""
