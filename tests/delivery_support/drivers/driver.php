<?php

/**
 * The PHP application of the delivery tests: a sequence of "requests", each with its
 * own HttpBatchSender (as PHP-FPM makes one per request), sending item_view v2 events
 * of the example's backend-items environment and flushing at its end. Configured by the
 * environment (CLICKSTREAM_COLLECTOR, CLICKSTREAM_SPOOL_DIR, DRIVER_*); every line handed
 * to a sender is recorded in DRIVER_OUT; the summed counters are printed as JSON. After
 * the events, requests of one event each go on until the spool is empty (a later
 * request replays what an earlier one spooled).
 */

declare(strict_types=1);

require getenv('DRIVER_LANGPACK') . '/tests/bootstrap.php';

use Mkt\Clickstream\BackendItems as L;

function setting(string $name, int $otherwise): int
{
    $value = getenv($name);
    return is_string($value) && $value !== '' ? (int) $value : $otherwise;
}

$uids = setting('DRIVER_UIDS', 0);
if ($uids > 0) {
    // "worker uid" lines: one worker, as PHP runs a request
    $out = fopen((string) getenv('DRIVER_OUT'), 'wb');
    for ($i = 0; $i < $uids; $i++) {
        fwrite($out, '0 ' . L\Langpack::uuid7(L\Langpack::now()) . "\n"); // what an event's constructor calls
    }
    fclose($out);
    exit(0);
}
$count = setting('DRIVER_COUNT', 1000);
$perRequest = setting('DRIVER_PER_REQUEST', 20);
$invalid = setting('DRIVER_INVALID', 0);
$rate = setting('DRIVER_RATE', 0);
$tag = setting('DRIVER_TAG', 1);
$settle = setting('DRIVER_SETTLE', 30);
// DRIVER_OUT empty: nothing recorded (the benchmark); DRIVER_MODE=encode: nothing sent
$out = fopen(getenv('DRIVER_OUT') ?: '/dev/null', 'wb');
$encodeOnly = getenv('DRIVER_MODE') === 'encode';
$stats = [];
$slowestSend = 0.0;
$slowestFlush = 0.0;
$spool = (string) getenv('CLICKSTREAM_SPOOL_DIR');
$gap = $rate > 0 ? 1.0 / $rate : 0.0;

$request = static function (int $from, int $to) use (&$stats, &$slowestSend, &$slowestFlush, $out, $tag, $invalid, $gap, $encodeOnly): void {
    $sender = new L\HttpBatchSender(
        batchSize: setting('DRIVER_BATCH', 50),
        timeout: 1.0,
        retries: 2,
        backoff: 0.02,
        cooldown: 0.3,
        replayBudget: 1.0,
    );
    $client = new L\Client($sender, '4bf92f3577b34da6a3ce929d0e0e4736');
    for ($i = $from; $i < $to; $i++) {
        $line = $client->encode(new L\ItemViewV2($tag * 10000000 + $i + 1, 1));
        fwrite($out, $line . "\n");
        if ($encodeOnly) {
            continue;
        }
        $started = microtime(true);
        $sender->send($line);
        if ($i < $invalid) {
            $sender->send(sprintf('{"broken":%d,"tag":%d}', $i, $tag));
        }
        $slowestSend = max($slowestSend, microtime(true) - $started);
        if ($gap > 0) {
            usleep((int) ($gap * 1000000));
        }
    }
    $started = microtime(true);
    $sender->flush(); // what the end of the request does
    $slowestFlush = max($slowestFlush, microtime(true) - $started);
    foreach ($sender->getStats() as $key => $value) {
        $stats[$key] = ($stats[$key] ?? 0) + $value;
    }
};

$handing = microtime(true);
for ($from = 0; $from < $count; $from += $perRequest) {
    $request($from, min($count, $from + $perRequest));
}
$handed = microtime(true) - $handing;
$total = $count;
$deadline = microtime(true) + $settle;
while ($spool !== '' && glob($spool . '/*.ndjson') !== [] && microtime(true) < $deadline) {
    usleep(50000);
    $request($total, $total + 1);
    $total++;
}
fclose($out);
echo json_encode([
    'sent' => $stats['sent'], 'dropped' => $stats['dropped'], 'failed' => $stats['failed'],
    'retried' => $stats['retries'], 'batches' => $stats['batches'], 'spooled' => $stats['spooled'],
    'replayed' => $stats['replayed'], 'max_send_ms' => $slowestSend * 1000, 'max_flush_ms' => $slowestFlush * 1000,
    'events' => $total, 'hand_ms' => $handed * 1000,
]), "\n";
if (getenv('DRIVER_HOLD') === '1') {
    echo "flushed\n";
    sleep(3600); // until killed
}
