package io.fngate.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway as a separate JVM (for heap limits and crashes), started from this test's class path with a
 * YAML configuration; its ports are read from its startup log line.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("invocation on [^ ]+:(\\d+), admin on [^ ]+:(\\d+)");

    private final Process process;
    private final int publicPort;
    private final int adminPort;
    final StringBuffer output = new StringBuffer();

    private GatewayProcess(Process process, int publicPort, int adminPort) {
        this.process = process;
        this.publicPort = publicPort;
        this.adminPort = adminPort;
    }

    static GatewayProcess start(String yaml, List<String> jvmOptions) throws IOException {
        return start(yaml, jvmOptions, java.util.Map.of());
    }

    static GatewayProcess start(String yaml, List<String> jvmOptions, java.util.Map<String, String> env)
            throws IOException {
        Path config = Files.createTempFile("fngate-e2e", ".yaml");
        Files.writeString(config, yaml);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.fngate.server.Main");
        cmd.add("--config");
        cmd.add(config.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuffer log = new StringBuffer();
        CompletableFuture<int[]> ports = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    log.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        ports.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
            ports.completeExceptionally(new IllegalStateException("gateway exited:\n" + log));
        });
        try {
            int[] found = ports.get(60, TimeUnit.SECONDS);
            GatewayProcess g = new GatewayProcess(p, found[0], found[1]);
            g.output.append(log);
            return g;
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("gateway did not start: " + e.getMessage() + "\n" + log, e);
        }
    }

    int publicPort() {
        return publicPort;
    }

    int adminPort() {
        return adminPort;
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String functionYaml(String instanceUrl, String extra) {
        return """
                server: { host: 127.0.0.1, port: 0 }
                admin: { port: 0 }
                registry: { store: memory }
                %s
                functions:
                  - id: %s
                    name: echo
                    versions:
                      - id: %s
                        max-request-concurrency: 4096
                        instances: [ { url: "%s" } ]
                """.formatted(extra, TestGateway.FN, TestGateway.V1, instanceUrl);
    }
}
