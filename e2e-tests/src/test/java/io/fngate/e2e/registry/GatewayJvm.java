package io.fngate.e2e.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's {@code Main} in a separate JVM started from this test's class path, so that it can be killed
 * with SIGKILL; its admin port is read from the startup log line.
 */
final class GatewayJvm {
    private static final Pattern LISTENING = Pattern.compile("invocation on [^ ]+:(\\d+), admin on [^ ]+:(\\d+)");

    final Process process;
    final int adminPort;
    final StringBuffer log;

    private GatewayJvm(Process process, int adminPort, StringBuffer log) {
        this.process = process;
        this.adminPort = adminPort;
        this.log = log;
    }

    /**
     * @param cdsArchive a class-data sharing archive the JVMs create once and share, to start faster
     */
    static GatewayJvm start(Path config, Path dataDir, Path cdsArchive) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + cdsArchive,
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-Xlog:disable", "-Xlog:all=off",
                "-cp", System.getProperty("java.class.path"),
                "io.fngate.server.Main", "--config", config.toString(), "--data-dir", dataDir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuffer log = new StringBuffer();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    log.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(2)));
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            port.completeExceptionally(new IllegalStateException("gateway exited"));
        });
        try {
            return new GatewayJvm(p, port.get(60, TimeUnit.SECONDS), log);
        } catch (Exception e) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("gateway did not start (" + e + "):\n" + log, e);
        }
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gateway survived SIGKILL");
        }
    }
}
