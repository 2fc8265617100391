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
public final class GatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("invocation on [^ ]+:(\\d+), admin on [^ ]+:(\\d+)");

    private final Process process;
    private final int publicPort;
    private final int adminPort;
    /** Everything the process printed so far (it keeps growing while the process runs). */
    public final StringBuffer output;
    /** Reads the process's output into {@link #output} until its end (which may come after the process's exit). */
    private final Thread reader;

    private GatewayProcess(Process process, int publicPort, int adminPort, StringBuffer output, Thread reader) {
        this.process = process;
        this.output = output;
        this.reader = reader;
        this.publicPort = publicPort;
        this.adminPort = adminPort;
    }

    static GatewayProcess start(String yaml, List<String> jvmOptions) throws IOException {
        return start(yaml, jvmOptions, java.util.Map.of());
    }

    static GatewayProcess start(String yaml, List<String> jvmOptions, java.util.Map<String, String> env)
            throws IOException {
        Path config = Files.createTempFile("fngate-e2e", ".yaml");
        config.toFile().deleteOnExit(); // read at start-up only; the test JVM outlives every gateway it starts
        Files.writeString(config, yaml);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.fngate.server.Main");
        cmd.add("--config");
        cmd.add(config.toString());
        return launch(new ProcessBuilder(cmd), env);
    }

    /**
     * The gateway exactly as users start it: {@code ./fngate run --config FILE} (module path, the script's
     * {@code --add-opens}, heap and GC options), optionally under an open-files limit.
     *
     * @param fdLimit open-files limit for the process (soft and hard), or 0 for the inherited one
     */
    public static GatewayProcess script(String yaml, int fdLimit, java.util.Map<String, String> env) throws IOException {
        Path config = Files.createTempFile("fngate-e2e", ".yaml");
        config.toFile().deleteOnExit(); // read at start-up only; the test JVM outlives every gateway it starts
        Files.writeString(config, yaml);
        Path script = Path.of("..", "fngate").toAbsolutePath().normalize();
        String run = "exec '" + script + "' run --config '" + config + "'";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", fdLimit > 0 ? "ulimit -n " + fdLimit + " && " + run : run);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return launch(pb, env);
    }

    private static GatewayProcess launch(ProcessBuilder pb, java.util.Map<String, String> env) throws IOException {
        pb.redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuffer log = new StringBuffer();
        CompletableFuture<int[]> ports = new CompletableFuture<>();
        // a platform thread: a virtual one reading a pipe may wait for a carrier while the test keeps them busy
        Thread reader = Thread.ofPlatform().daemon().name("gateway-output").start(() -> {
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
            return new GatewayProcess(p, found[0], found[1], log, reader);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("gateway did not start: " + e.getMessage() + "\n" + log, e);
        }
    }

    public int publicPort() {
        return publicPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /**
     * Sends SIGTERM (the process is the JVM itself: the script execs it). Not {@link Process#destroy()}: that also
     * closes our end of its output, and what it prints while it drains would be lost.
     */
    public void terminate() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Waits for the process to end; returns its exit code, or -1 when it did not end in time. */
    public int awaitExit(java.time.Duration max) throws InterruptedException {
        if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            return -1;
        }
        // what the process wrote just before it exited may still be in the pipe: output is whole only at EOF
        reader.join(5_000);
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
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
