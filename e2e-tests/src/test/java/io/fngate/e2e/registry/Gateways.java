package io.fngate.e2e.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.fngate.server.Gateway;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** In-process gateways with a managed registry, and a client for their public socket. */
public final class Gateways {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Gateways() {
    }

    /** A gateway on ports 0 with its data in {@code dataDir}, the e2e admin key and fast health checks. */
    public static Gateway start(Path dataDir, Map<String, String> extra) {
        Map<String, String> all = new HashMap<>();
        all.put("server.host", "127.0.0.1");
        all.put("server.port", "0");
        all.put("admin.port", "0");
        all.put("registry.data-dir", dataDir.toString());
        all.put("registry.admin-keys.0", Admin.KEY);
        all.put("registry.health.interval", "100ms");
        all.put("registry.health.timeout", "500ms");
        all.put("registry.health.unhealthy-threshold", "3");
        all.put("registry.health.healthy-threshold", "2");
        all.putAll(extra);
        return Gateway.start(Config.just(ConfigSources.create(all)));
    }

    /** Invokes a function through the public socket (Host form), optionally naming the version. */
    static HttpResponse<String> invoke(Gateway gateway, UUID function, String versionOrNull) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.publicPort() + "/infer"))
                .header("function-id", function.toString())
                .header("Authorization", "Bearer " + Admin.KEY) // admin keys may invoke too
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (versionOrNull != null) {
            b.header("function-version-id", versionOrNull);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(String what, BooleanSupplier condition, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not within " + max);
            }
            Thread.sleep(10);
        }
    }
}
