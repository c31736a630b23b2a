import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NumberReader, clfTimeMs, firstForwarded, hostOf, isoTimeMs, text, withoutQuery } from './fields.ts';

test('NumberReader reads numbers and numeric strings, treats null/""/"-" as unset, and names the first bad field', () => {
  const n = new NumberReader();
  assert.equal(n.read('a', 12), 12);
  assert.equal(n.read('a', '12.5'), 12.5);
  assert.equal(n.read('a', '-'), null);
  assert.equal(n.read('a', null), null);
  assert.equal(n.bad, '');
  assert.equal(n.read('duration', 'slow'), null);
  assert.equal(n.read('bytes', {}), null);
  assert.equal(n.bad, 'duration is not a number ("slow")');
  n.reset();
  assert.equal(n.bad, '');
});

test('text drops "-" and non-text values', () => {
  assert.deepEqual([text('x'), text('-'), text(7), text(null), text({}), text(Number.NaN)], ['x', '', '7', '', '', '']);
});

test('hostOf and firstForwarded strip ports, brackets, schemes and lists', () => {
  assert.equal(hostOf('10.0.0.12:59292'), '10.0.0.12');
  assert.equal(hostOf('[fd00:1234:5678::5a24]:43000'), 'fd00:1234:5678::5a24');
  assert.equal(hostOf('fd00:1234:5678::5a24'), 'fd00:1234:5678::5a24');
  assert.equal(hostOf('tcp://10.0.2.1:80'), '10.0.2.1');
  assert.equal(hostOf('http://whoami:80/x'), 'whoami');
  assert.equal(firstForwarded('fd00:1234:5678::5a24, [fd00:1234:5678::1]:54321'), 'fd00:1234:5678::5a24');
  assert.equal(firstForwarded('192.168.1.100, 10.42.0.1'), '192.168.1.100');
});

test('times: CLF with offsets, ISO-8601 with nanoseconds; anything else is NaN', () => {
  assert.equal(clfTimeMs('08/Dec/2021:09:16:05 +0000'), Date.UTC(2021, 11, 8, 9, 16, 5));
  assert.equal(clfTimeMs('08/Dec/2021:10:16:05 +0100'), Date.UTC(2021, 11, 8, 9, 16, 5));
  assert.equal(clfTimeMs('08/Dec/2021:04:46:05 -0430'), Date.UTC(2021, 11, 8, 9, 16, 5));
  assert.ok(Number.isNaN(clfTimeMs('08/Foo/2021:09:16:05 +0000')));
  assert.equal(isoTimeMs('2026-01-14T10:45:33.759014877+01:00'), Date.UTC(2026, 0, 14, 9, 45, 33, 759));
  assert.ok(Number.isNaN(isoTimeMs('2021')));
  assert.equal(withoutQuery('/upload.asp?test=toto'), '/upload.asp');
});
