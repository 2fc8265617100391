package io.fngate.e2e.dispatch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.fngate.server.Gateway;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * An in-process gateway on port 0 whose function {@link #FN} is declared in configuration, one entry per version
 * with its instances and {@code max-request-concurrency}, plus any other settings.
 */
final class DispatchGateway {
    static final UUID FN = UUID.fromString("5a1b2c3d-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final UUID V1 = UUID.fromString("6a1b2c3d-5f6b-4e2a-8c9d-7a6b5c4d3e2f");
    static final UUID V2 = UUID.fromString("7a1b2c3d-5f6b-4e2a-8c9d-7a6b5c4d3e2f");
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private DispatchGateway() {
    }

    /** One version's configuration. */
    record Version(UUID id, int limit, List<String> urls) {
    }

    static Gateway start(List<Version> versions, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("server.host", "127.0.0.1");
        all.put("server.port", "0");
        all.put("admin.port", "0");
        all.put("registry.store", "memory");
        all.put("functions.0.id", FN.toString());
        all.put("functions.0.name", "counting");
        for (int v = 0; v < versions.size(); v++) {
            String prefix = "functions.0.versions." + v + ".";
            all.put(prefix + "id", versions.get(v).id().toString());
            all.put(prefix + "max-request-concurrency", Integer.toString(versions.get(v).limit()));
            for (int i = 0; i < versions.get(v).urls().size(); i++) {
                all.put(prefix + "instances." + i + ".url", versions.get(v).urls().get(i));
            }
        }
        all.putAll(settings);
        return Gateway.start(Config.just(ConfigSources.create(all)));
    }

    static HttpRequest.Builder request(Gateway g, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.publicPort() + pathAndQuery))
                .header("Host", FN + ".invocation.example.com")
                .timeout(Duration.ofSeconds(60));
    }

    static void await(String what, BooleanSupplier condition, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not within " + max);
            }
            Thread.sleep(5);
        }
    }
}
