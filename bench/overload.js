#!/usr/bin/env node
// bench/overload.js: the overload scenario's two halves (node 18 or newer, no packages).
//
//   node bench/overload.js function --ports P1,P2,... --concurrency C --service-ms S
//       A slow fake function: one "instance" per port, each working on at most C requests at a time, S ms each.
//       Requests beyond C wait in the instance's own FIFO queue (like an inference server's). A request whose
//       client (the proxy) goes away while it waits is dropped; one already in service runs to the end, as work
//       that cannot be cancelled would. Answers 200 "ok\n" to any path, except:
//         GET /__stats   {"maxInService":..,"served":..,"dropped":..,"maxQueued":..} since the last reset
//         POST /__reset  zeroes those counters
//       Runs until killed.
//
//   node bench/overload.js load --url URL[,URL...] --rate R --seconds D [options] --out FILE
//       An open-loop load generator: sends R requests per second, evenly spaced, for D seconds, whatever the
//       answers (a closed-loop tool such as wrk slows down with the server and cannot overload it). Each request
//       is a GET on a kept-alive connection, a new one when every connection is busy. Several URLs are used in
//       turn (round robin), which is how "direct" spreads the load over the instances. Options:
//         --host H             Host header [the URL's host:port]
//         --header 'N: V'      an extra request header; repeatable
//         --timeout S          the client gives up on a request after S seconds (counted as a timeout) [10]
//         --stats URL[,URL]    the fake instances' base URLs: reset their counters first, report them after
//         --max-open N         at most N requests outstanding; beyond that new ones are not sent but counted
//                              as "skipped" (protects the client itself) [20000]
//       After the D seconds it waits for the outstanding requests (at most --timeout), then writes "key value"
//       lines to FILE: sent, status counts, socket errors, goodput (200 answers completed within the last 80% of
//       the D seconds, per second; the first 20% is ramp-up) and the p50/p99 latency of the 200 answers. Latency is counted from the moment a request
//       was due (its slot in the schedule), not from when it was sent, so a late client does not hide delay.
'use strict';

const http = require('http');

function fail(msg) {
  process.stderr.write(`overload.js: ${msg}\n`);
  process.exit(1);
}

function parseArgs(argv, repeatable = []) {
  const opts = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    const v = argv[i + 1];
    if (!k.startsWith('--') || v === undefined) fail(`bad option ${k}`);
    const name = k.slice(2);
    if (repeatable.includes(name)) (opts[name] = opts[name] || []).push(v);
    else opts[name] = v;
  }
  return opts;
}

function num(opts, name, dflt) {
  if (opts[name] === undefined) {
    if (dflt === undefined) fail(`--${name} is required`);
    return dflt;
  }
  const n = Number(opts[name]);
  if (!Number.isFinite(n) || n < 0) fail(`--${name}: not a number: ${opts[name]}`);
  return n;
}

// ------------------------------------------------------------------------------------------------ function
function runFunction(opts) {
  const ports = String(opts.ports || '').split(',').filter(Boolean).map(Number);
  if (ports.length === 0) fail('--ports is required');
  const concurrency = num(opts, 'concurrency');
  const serviceMs = num(opts, 'service-ms');
  if (concurrency < 1) fail('--concurrency must be at least 1');
  // A timer fires a little late (about 1 ms on an idle machine). Measure how late, before serving, and ask for
  // that much less each time, so that an unloaded instance's service time is the configured one. Under CPU
  // contention it takes longer, as a real function would.
  calibrate(serviceMs).then((late) => {
    process.stderr.write(`overload.js: timers fire ${late.toFixed(2)} ms late; service timer set to ${
      Math.max(0, serviceMs - late).toFixed(2)} ms\n`);
    for (const port of ports) serve(port, concurrency, serviceMs, Math.max(0, serviceMs - late));
  });
}

/** The median lateness (ms) of 15 timers of ms milliseconds, one after the other. */
async function calibrate(ms) {
  const lates = [];
  for (let i = 0; i < 15; i++) {
    const t0 = process.hrtime.bigint();
    await new Promise((r) => setTimeout(r, ms));
    lates.push(Number(process.hrtime.bigint() - t0) / 1e6 - ms);
  }
  lates.sort((a, b) => a - b);
  return Math.max(0, lates[7]);
}

/** One instance of the slow function on 127.0.0.1:port. */
function serve(port, concurrency, serviceMs, timerMs) {
  const inst = { inService: 0, queue: [], maxInService: 0, served: 0, dropped: 0, maxQueued: 0, serviceMsSum: 0 };

  const next = () => {
    while (inst.inService < concurrency && inst.queue.length > 0) {
      const res = inst.queue.shift();
      if (res.gone) continue; // its client left while it waited
      inst.inService++;
      inst.maxInService = Math.max(inst.maxInService, inst.inService);
      const begun = process.hrtime.bigint();
      setTimeout(() => {
        inst.inService--;
        inst.served++;
        inst.serviceMsSum += Number(process.hrtime.bigint() - begun) / 1e6;
        if (!res.destroyed && !res.gone) {
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 3 });
          res.end('ok\n');
        }
        next();
      }, timerMs);
    }
  };

  const server = http.createServer((req, res) => {
    if (req.url === '/__stats') {
      const body = JSON.stringify({ maxInService: inst.maxInService, served: inst.served,
        dropped: inst.dropped, maxQueued: inst.maxQueued,
        meanServiceMs: inst.served ? inst.serviceMsSum / inst.served : -1 });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    if (req.url === '/__reset') {
      Object.assign(inst, { maxInService: inst.inService, served: 0, dropped: 0, maxQueued: inst.queue.length,
        serviceMsSum: 0 });
      res.writeHead(204);
      res.end();
      return;
    }
    req.resume(); // a body, if any, is read and ignored
    res.on('close', () => {
      if (!res.writableFinished && !res.gone) {
        res.gone = true;
        inst.dropped++;
      }
    });
    inst.queue.push(res);
    inst.maxQueued = Math.max(inst.maxQueued, inst.queue.length);
    next();
  });
  server.keepAliveTimeout = 60_000;  // longer than any proxy's idle timeout: the proxy closes first
  server.headersTimeout = 65_000;
  server.requestTimeout = 0;          // queued requests may wait long when the gateway does not limit them
  server.listen(port, '127.0.0.1', () => process.stderr.write(`overload.js: instance on 127.0.0.1:${port}\n`));
}

// ------------------------------------------------------------------------------------------------ load
function percentile(sorted, q) {
  if (sorted.length === 0) return -1;
  const rank = Math.ceil((q / 100) * sorted.length);
  return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
}

function httpCall(method, url) {
  return new Promise((resolve) => {
    const req = http.request(url, { method, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', (e) => resolve({ status: 0, body: String(e.message) }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

async function runLoad(opts) {
  const urls = String(opts.url || '').split(',').filter(Boolean).map((u) => new URL(u));
  if (urls.length === 0) fail('--url is required');
  const rate = num(opts, 'rate');
  const seconds = num(opts, 'seconds');
  const timeoutMs = num(opts, 'timeout', 10) * 1000;
  const maxOpen = num(opts, 'max-open', 20000);
  if (!opts.out) fail('--out is required');
  if (rate <= 0 || seconds <= 0) fail('--rate and --seconds must be positive');
  const headers = {};
  for (const h of opts.header || []) {
    const i = h.indexOf(':');
    if (i <= 0) fail(`--header wants 'Name: value', got ${h}`);
    headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  if (opts.host) headers.Host = opts.host;
  const statsUrls = String(opts.stats || '').split(',').filter(Boolean);
  for (const s of statsUrls) await httpCall('POST', `${s}/__reset`);

  // one agent per URL: kept-alive connections, a new one whenever all are busy
  const agents = urls.map(() => new http.Agent({ keepAlive: true, maxSockets: Infinity, scheduling: 'lifo' }));
  const counts = { sent: 0, s200: 0, s429: 0, s504: 0, other: 0, socketErrors: 0, timeouts: 0, skipped: 0 };
  const otherStatus = {};
  const errorCodes = {};
  const latencies = []; // ms, 200 answers only
  let okInWindow = 0;
  let open = 0;
  let resolveDrained = null;

  const periodNs = 1e9 / rate;
  const total = Math.round(rate * seconds);
  // goodput counts the 200 answers completed in the last 80% of the run: the first 20% is the ramp-up, when
  // the first answers have not had the time to come back yet
  const start = process.hrtime.bigint();
  const windowStart = start + BigInt(Math.round(seconds * 0.2 * 1e9));
  const windowEnd = start + BigInt(Math.round(seconds * 1e9));

  const finished = () => {
    open--;
    if (open === 0 && resolveDrained) resolveDrained();
  };

  const send = (k, dueNs) => {
    if (open >= maxOpen) {
      counts.skipped++;
      return;
    }
    const i = k % urls.length;
    const u = urls[i];
    counts.sent++;
    open++;
    let done = false;
    const end = (fn) => {
      if (done) return;
      done = true;
      fn();
      finished();
    };
    const req = http.request({ host: u.hostname, port: u.port || 80, path: u.pathname + u.search, method: 'GET',
      headers, agent: agents[i] }, (res) => {
      res.resume();
      res.on('end', () => end(() => {
        const now = process.hrtime.bigint();
        const st = res.statusCode;
        if (st === 200) {
          counts.s200++;
          latencies.push(Number(now - dueNs) / 1e6);
          if (now >= windowStart && now <= windowEnd) okInWindow++;
        } else if (st === 429) counts.s429++;
        else if (st === 504) counts.s504++;
        else {
          counts.other++;
          otherStatus[st] = (otherStatus[st] || 0) + 1;
        }
      }));
      res.on('error', (e) => end(() => {
        counts.socketErrors++;
        errorCodes[e.code || e.message] = (errorCodes[e.code || e.message] || 0) + 1;
      }));
    });
    req.setTimeout(timeoutMs, () => {
      if (!done) {
        end(() => { counts.timeouts++; });
        req.destroy();
      }
    });
    req.on('error', (e) => end(() => {
      counts.socketErrors++;
      errorCodes[e.code || e.message] = (errorCodes[e.code || e.message] || 0) + 1;
    }));
    req.end();
  };

  // The schedule: request k is due at start + k * period. A 1 ms timer sends whatever has come due.
  await new Promise((resolve) => {
    let k = 0;
    const tick = () => {
      const now = process.hrtime.bigint();
      while (k < total) {
        const due = start + BigInt(Math.round(k * periodNs));
        if (due > now) break;
        send(k, due);
        k++;
      }
      if (k < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  // wait for the answers still outstanding (each one ends by the client timeout at the latest)
  if (open > 0) {
    await Promise.race([
      new Promise((r) => { resolveDrained = r; }),
      new Promise((r) => setTimeout(r, timeoutMs + 2000)),
    ]);
  }
  const unfinished = open;
  for (const a of agents) a.destroy();

  const stats = [];
  for (const s of statsUrls) {
    const r = await httpCall('GET', `${s}/__stats`);
    try { stats.push(JSON.parse(r.body)); } catch (e) { stats.push(null); }
  }
  latencies.sort((a, b) => a - b);
  const lines = [
    `rate ${rate}`, `seconds ${seconds}`, `sent ${counts.sent}`, `skipped ${counts.skipped}`,
    `s200 ${counts.s200}`, `s429 ${counts.s429}`, `s504 ${counts.s504}`, `other ${counts.other}`,
    `other_codes ${Object.entries(otherStatus).map(([c, n]) => `${c}:${n}`).join(',') || '-'}`,
    `socket_errors ${counts.socketErrors}`,
    `error_codes ${Object.entries(errorCodes).map(([c, n]) => `${c}:${n}`).join(',') || '-'}`,
    `timeouts ${counts.timeouts}`, `unfinished ${unfinished}`,
    `goodput ${(okInWindow / (seconds * 0.8)).toFixed(1)}`,
    `p50_ms ${percentile(latencies, 50).toFixed(1)}`, `p99_ms ${percentile(latencies, 99).toFixed(1)}`,
    `max_in_service ${stats.map((s) => (s ? s.maxInService : '?')).join(',') || '-'}`,
    `max_queued ${stats.map((s) => (s ? s.maxQueued : '?')).join(',') || '-'}`,
    `dropped ${stats.map((s) => (s ? s.dropped : '?')).join(',') || '-'}`,
    `mean_service_ms ${stats.map((s) => (s ? s.meanServiceMs.toFixed(1) : '?')).join(',') || '-'}`,
  ];
  require('fs').writeFileSync(opts.out, lines.join('\n') + '\n');
  process.exit(0);
}

// ------------------------------------------------------------------------------------------------ main
const [mode, ...rest] = process.argv.slice(2);
if (mode === 'function') runFunction(parseArgs(rest));
else if (mode === 'load') runLoad(parseArgs(rest, ['header'])).catch((e) => fail(e.stack || String(e)));
else fail('usage: overload.js function --ports P1,P2 --concurrency C --service-ms S | '
  + 'overload.js load --url URL[,URL] --rate R --seconds D --out FILE [--host H] [--header "N: V"] [--timeout S] '
  + '[--stats URL,...] [--max-open N]');
