<?php

/**
 * Judge process of a generated PHP langpack (protocol: tests/judges/README.md).
 *
 * Run as `php php_judge.php LANGPACK_DIR`: loads the langpack through its tests'
 * bootstrap and builds every case with the langpack's own tests/VectorBuilder.php, the
 * code that checks the shared vectors, with the clock and the uid source injected as
 * tests/VectorsTest.php does.
 */

declare(strict_types=1);

$langpack = $argv[1];
require $langpack . '/tests/bootstrap.php';
$composer = json_decode((string) file_get_contents($langpack . '/composer.json'), true, 512, JSON_THROW_ON_ERROR);
$namespace = rtrim((string) array_key_first($composer['autoload']['psr-4']), '\\');
$builder = $namespace . '\\Tests\\VectorBuilder';
$typeRefusal = $namespace . '\\Tests\\TypeRefusal';
$validationException = $namespace . '\\ValidationException';
$langpackClass = $namespace . '\\Langpack';
$memorySender = $namespace . '\\MemorySender';
$objectValue = $namespace . '\\ObjectValue';

/** {"$wtf8": hex} is a string of those bytes, which need not be valid UTF-8. */
function unwrap(mixed $value): mixed
{
    if (is_array($value)) {
        if (count($value) === 1 && isset($value['$wtf8'])) {
            return hex2bin($value['$wtf8']);
        }
        return array_map('unwrap', $value);
    }
    return $value;
}

/**
 * Whether a TypeError is about a member of an object (its class implements the
 * langpack's ObjectValue): the verdict then names no field, as the member is not one of
 * the event's fields.
 */
function insideObject(string $message, string $objectValue): bool
{
    return preg_match('/([A-Za-z0-9_\\\\]+)::[A-Za-z0-9_]+\(\)/', $message, $found) === 1
        && interface_exists($objectValue)
        && is_subclass_of($found[1], $objectValue);
}

/** The field a TypeError names through its parameter, e.g. "($userId)". */
function fieldOfTypeError(string $message, array $variables): ?string
{
    foreach ($variables as $field => $variable) {
        if (str_contains($message, '($' . $variable . ')')) {
            return (string) $field;
        }
    }
    return null;
}

while (($line = fgets(STDIN)) !== false) {
    if (trim($line) === '') {
        continue;
    }
    try {
        $case = unwrap(json_decode($line, true, 512, JSON_THROW_ON_ERROR));
        $langpackClass::setClock(static fn (): int => $case['event_time_us']);
        $langpackClass::setUidSource(static fn (int $timeUs): string => $case['event_uid']);
        $client = $builder::client($case['common'], new $memorySender());
        $encoded = $client->encode($builder::event($case));
        $verdict = ['valid' => true, 'hex' => bin2hex($encoded)];
    } catch (Throwable $e) {
        if ($e instanceof $validationException) {
            $verdict = ['valid' => false, 'field' => $e->getField(), 'reason' => $e->getReason(), 'by' => 'validation'];
        } elseif ($e instanceof $typeRefusal) {
            // a member's enum value inside an object: the member is not one of the event's fields
            $field = array_key_exists($e->field, $case['fields'] + $case['common']) ? $e->field : null;
            $verdict = ['valid' => false, 'field' => $field, 'reason' => $e->reason, 'by' => 'types'];
        } elseif ($e instanceof TypeError && (str_contains($e->getMessage(), '/tests/VectorBuilder.php on line')
            || str_ends_with($e->getFile(), '/tests/VectorBuilder.php'))) {
            // a value of a type the API's signature refuses (strict_types), before the langpack runs
            $field = insideObject($e->getMessage(), $objectValue) ? null : fieldOfTypeError($e->getMessage(), $builder::VARIABLES);
            $verdict = ['valid' => false, 'field' => $field, 'reason' => $e->getMessage(), 'by' => 'types'];
        } else {
            $verdict = ['crash' => get_class($e) . ': ' . $e->getMessage() . ' at ' . basename($e->getFile()) . ':' . $e->getLine()];
        }
    }
    fwrite(STDOUT, json_encode($verdict, JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_SLASHES) . "\n");
}
