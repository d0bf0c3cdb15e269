"""Helpers for the delivery tests (a real broker, the generated collector, faults).

- `broker`: nats-server with JetStream on 127.0.0.1, on a free port with its own data
  folder, started, killed and restarted by the tests; `streamtool`, a small Go program
  of the tests' own on the Go NATS client, creates streams and dumps them.
"""
