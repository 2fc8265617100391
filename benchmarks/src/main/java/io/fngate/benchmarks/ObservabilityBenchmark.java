package io.fngate.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.fngate.invocation.InvocationListener;
import io.fngate.invocation.InvocationRecord;
import io.fngate.observability.AccessLog;
import io.fngate.observability.GatewayMetrics;
import io.fngate.observability.ObservabilityListener;
import io.fngate.observability.ObservabilitySettings;
import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import io.fngate.routing.DispatchSettings;
import io.fngate.routing.Dispatcher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What observability costs one request: the metrics of a finished request (on the request thread), and an
 * access-log line from the request thread's offer to the writer thread's bytes (both threads' time: the
 * {@code accessLogLine} figure is the wall time of a batch offered and written, per line: run it pinned to one CPU,
 * {@code taskset -c 1 bash bench/jmh ObservabilityBenchmark}, and it is the CPU both threads spend per line, plus
 * at most one writer tick per batch). Compare with the gateway's CPU per small request ({@code bash bench/run},
 * "CPU/req").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ObservabilityBenchmark {
    private static final int BATCH = 100_000;

    Dispatcher dispatcher;
    GatewayMetrics metrics;
    AccessLog accessLog;
    InvocationListener both;
    InvocationRecord record;

    @Setup(Level.Trial)
    public void setUp() {
        UUID fn = UUID.randomUUID();
        UUID version = UUID.randomUUID();
        Instance instance = Instance.parse("http://10.0.0.5:8000");
        Registry registry = Registry.of(List.of(new InferenceFunction(fn, "bench",
                List.of(new FunctionVersion(version, List.of(instance))))));
        dispatcher = Dispatcher.create(registry, DispatchSettings.defaults(), Clock.systemUTC());
        metrics = GatewayMetrics.create(registry, dispatcher);
        accessLog = AccessLog.create(ObservabilitySettings.Target.parse("file:/dev/null", "bench"), BATCH * 2);
        both = ObservabilityListener.create(Optional.of(metrics), Optional.of(accessLog));
        record = new InvocationRecord(UUID.randomUUID(), new InvocationRecord.Trace("4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7", Optional.empty(), false), Instant.now(), "GET",
                "/v1/chat/completions", Optional.of(fn), Optional.of(version), Optional.of(instance), 200,
                Optional.empty(), InvocationRecord.Outcome.COMPLETED, Duration.ofNanos(812_000),
                Optional.of(Duration.ZERO), Optional.of(Duration.ofNanos(20_000)), Optional.of(Duration.ofNanos(640_000)),
                0, 3, "127.0.0.1", "wrk/4.1.0");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        accessLog.close();
        dispatcher.close();
    }

    /** Counters and histograms of one finished request, on the request thread. */
    @Benchmark
    public void metrics() {
        metrics.completed(record);
    }

    /** One access-log line: offered by the request thread, formatted and written by the writer thread. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void accessLogLine() throws InterruptedException {
        long target = accessLog.written() + BATCH;
        for (int i = 0; i < BATCH; i++) {
            accessLog.completed(record);
        }
        // sleep rather than spin: pinned to one CPU (taskset), a spinning caller would take the writer's CPU
        while (accessLog.written() < target && accessLog.dropped() == 0) {
            Thread.sleep(1);
        }
    }

    /** What a request pays on its own thread for both: the metrics and the access log's offer to its queue. */
    @Benchmark
    public void listenerOnRequestThread() {
        both.completed(record);
    }
}
