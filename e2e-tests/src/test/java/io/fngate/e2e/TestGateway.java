package io.fngate.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.fngate.registry.FunctionVersion;
import io.fngate.registry.InferenceFunction;
import io.fngate.registry.Instance;
import io.fngate.registry.Registry;
import io.fngate.server.Gateway;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * An in-process gateway on port 0 over a fixed registry, with real HTTP clients pointed at it.
 */
final class TestGateway implements AutoCloseable {
    static final UUID FN = UUID.fromString("8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final UUID V1 = UUID.fromString("1d0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f");
    static final UUID V2 = UUID.fromString("2d0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f");
    static final UUID IDLE_FN = UUID.fromString("9f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final UUID UNKNOWN = UUID.fromString("00000000-0000-4000-8000-000000000000");

    final Gateway gateway;
    final HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateway(Gateway gateway) {
        this.gateway = gateway;
    }

    /**
     * A gateway whose function {@link #FN} (version {@link #V1}) is served by the given instance, plus a
     * registered function {@link #IDLE_FN} with no deployed version.
     */
    static TestGateway start(String instanceUrl, Map<String, String> settings) {
        return start(Registry.of(List.of(
                new InferenceFunction(FN, "echo", List.of(new FunctionVersion(V1, List.of(Instance.parse(instanceUrl))),
                        new FunctionVersion(V2, List.of()))),
                new InferenceFunction(IDLE_FN, "idle", List.of()))), settings);
    }

    static TestGateway start(Registry registry, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("server.host", "127.0.0.1");
        all.put("server.port", "0");
        all.put("admin.port", "0");
        all.put("observability.access-log.target", "off"); // tests that read the access log say where
        all.putAll(settings);
        Config config = Config.just(ConfigSources.create(all));
        return new TestGateway(Gateway.start(config, registry));
    }

    int port() {
        return gateway.publicPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** A request routed to {@link #FN} with the function-id header (works for HTTP/1.1 and HTTP/2). */
    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).header("function-id", FN.toString())
                .timeout(Duration.ofSeconds(60));
    }

    static String invocationHost(UUID function) {
        return function + ".invocation.example.com";
    }

    @Override
    public void close() {
        gateway.close();
    }
}
