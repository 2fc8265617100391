package io.fngate.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.fngate.registry.FunctionRegistry;
import io.fngate.registry.RegistryStore;
import io.fngate.registry.RegistryStoreException;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;

/**
 * Command line entry point: {@code Main [--config FILE] [--data-dir DIR] [--demo]}.
 * <p>
 * Configuration precedence: system properties, then environment variables, then the file (Helidon Config).
 */
public final class Main {
    /** The demo function's fixed ids, so the printed curl commands work on every run. */
    static final UUID DEMO_FUNCTION = UUID.fromString("8f2c6a1e-0d7b-4c55-9a1e-3b9b6f0c2d11");
    static final UUID DEMO_VERSION = UUID.fromString("1d0e4c8a-5f6b-4e2a-8c9d-7a6b5c4d3e2f");

    private Main() {
    }

    /**
     * Starts the gateway and blocks until the process is stopped.
     *
     * @param args {@code --config FILE}, {@code --data-dir DIR} (overrides {@code registry.data-dir}) and/or
     *             {@code --demo}
     */
    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Path configFile = null;
        Path dataDir = null;
        boolean demo = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
            case "--config" -> {
                if (i + 1 >= args.length) {
                    fail("--config needs a file");
                }
                configFile = Path.of(args[++i]);
            }
            case "--data-dir" -> {
                if (i + 1 >= args.length) {
                    fail("--data-dir needs a directory");
                }
                dataDir = Path.of(args[++i]);
            }
            case "--demo" -> demo = true;
            default -> fail("unknown argument: " + args[i]
                    + " (usage: fngate [--config FILE] [--data-dir DIR] [--demo])");
            }
        }
        var builder = Config.builder();
        if (configFile != null) {
            if (!Files.isReadable(configFile)) {
                fail("configuration file not readable: " + configFile.toAbsolutePath());
            }
            builder.addSource(ConfigSources.file(configFile));
        }
        Config config = builder.build();
        try {
            if (demo) {
                runDemo(config);
            } else {
                FunctionRegistry.Builder registry = Gateway.registry(config);
                if (dataDir != null) {
                    registry.dataDir(dataDir);
                }
                Gateway gateway = Gateway.startOwning(config, registry.build());
                Signals.drainOnTerm(gateway, () -> { });
            }
        } catch (IllegalArgumentException e) {
            fail("invalid configuration: " + e.getMessage());
        } catch (RegistryStoreException e) {
            fail("cannot open the function registry: " + e.getMessage());
        }
    }

    private static void runDemo(Config config) {
        String host = config.get("server.host").asString().orElse("0.0.0.0");
        WebServer function = DemoFunction.start("127.0.0.1", config.get("demo.port").asInt().orElse(0));
        Config functions = Config.just(ConfigSources.create(Map.of(
                "functions.0.id", DEMO_FUNCTION.toString(),
                "functions.0.name", "demo-echo",
                "functions.0.versions.0.id", DEMO_VERSION.toString(),
                "functions.0.versions.0.max-request-concurrency", "64",
                "functions.0.versions.0.instances.0.url", "http://127.0.0.1:" + function.port()))).get("functions");
        // the demo keeps registrations in memory and makes its own admin key, printed once below
        String key = "demo-" + UUID.randomUUID();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("FNGATE_ADMIN_KEY", key);
        FunctionRegistry registry = FunctionRegistry.builder()
                .config(config.get("registry"))
                .functions(functions)
                .defaultMaxRequestConcurrency(FunctionRegistry.defaultConcurrency(config))
                .store(RegistryStore.memory())
                .build();
        Gateway gateway = Gateway.startOwning(config, registry, env);
        Signals.drainOnTerm(gateway, function::stop);
        String at = "http://localhost:" + gateway.publicPort();
        String admin = "http://localhost:" + gateway.adminPort();
        String hostHeader = DEMO_FUNCTION + ".invocation.localhost";
        System.out.println("""

                fngate demo is running (bound to %1$s). A demo function echoes requests as JSON; /stream streams tokens.
                This run's API key (every scope; invocations need it too): %2$s
                  KEY=%2$s
                Try:
                  curl -i '%3$s/v1/echo?x=1' -H "Authorization: Bearer $KEY" -H 'Host: %4$s' -d '{"hello":"world"}'
                  curl -N %3$s/stream -H "Authorization: Bearer $KEY" -H 'Host: %4$s' -H 'Accept: text/event-stream'
                  curl -i %3$s/anything -H "Authorization: Bearer $KEY" -H 'function-id: %5$s' -H 'function-version-id: %6$s'
                  curl -i %3$s/v1/echo -H 'Host: %4$s'   # 401 problem: no key
                  curl -s %7$s/metrics | grep fngate_
                Management API (admin socket, this machine only):
                  curl -s %7$s/v2/nvcf/functions -H "Authorization: Bearer $KEY"
                  curl -s -X POST %7$s/v2/nvcf/functions -H "Authorization: Bearer $KEY" \\
                       -H 'Content-Type: application/json' -d '{"name":"my-function"}'
                Stop with Ctrl-C (it drains first).
                """.formatted(host, key, at, hostHeader, DEMO_FUNCTION, DEMO_VERSION, admin));
    }

    private static void fail(String message) {
        System.err.println("fngate: " + message);
        System.exit(2);
    }
}
