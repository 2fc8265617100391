package io.fngate.benchmarks;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.fngate.registry.FunctionType;
import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import io.fngate.routing.Cancellation;
import io.fngate.routing.DispatchSettings;
import io.fngate.routing.Dispatcher;
import io.fngate.routing.Lease;
import io.fngate.routing.Route;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dispatcher's hot path: admit a request to an instance (two random choices, one CAS) and give the slot back,
 * from 8 threads at once over one function with 100 instances, as the performance issue asks. A per-thread
 * hold of a few leases keeps instances at different loads, so the choice is not trivial.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(8)
public class DispatcherBenchmark {
    @Param({"100"})
    int instances;

    Dispatcher dispatcher;
    Route route;
    final Instant deadline = Instant.now().plusSeconds(3600);

    @Setup(Level.Trial)
    public void setUp() {
        List<Instance> list = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            list.add(Instance.parse("http://10.0." + (i / 250) + "." + (i % 250 + 1) + ":8000"));
        }
        FunctionVersion version = new FunctionVersion(UUID.randomUUID(), list, io.fngate.registry.VersionStatus.ACTIVE,
                "/", FunctionType.DEFAULT, 64);
        InferenceFunction function = new InferenceFunction(UUID.randomUUID(), "bench", List.of(version));
        dispatcher = Dispatcher.create(Registry.of(List.of(function)), DispatchSettings.defaults(), Clock.systemUTC());
        route = new Route(function, Optional.empty(), List.of(version));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dispatcher.close();
    }

    /** One admission and release, as every proxied request does. */
    @Benchmark
    public Lease acquireAndRelease() {
        Lease lease = dispatcher.acquire(route, deadline, Cancellation.create(), Set.of());
        lease.close();
        return lease;
    }
}
