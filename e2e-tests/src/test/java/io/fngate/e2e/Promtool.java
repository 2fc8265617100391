package io.fngate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs Prometheus' own {@code promtool} on what the gateway serves and on the deploy files. CI installs it
 * ({@code .ci/run}); elsewhere a missing promtool skips the check, except under {@code CI=true}.
 */
final class Promtool {
    private Promtool() {
    }

    static void checkMetrics(String text) throws Exception {
        Result r = run(text, "check", "metrics");
        assertEquals(0, r.code, "promtool check metrics:\n" + r.output);
    }

    /**
     * promtool (2.x) reads what it checks with the Prometheus text parser: OpenMetrics must parse, and its only
     * complaints may be the lint it gives for OpenMetrics' own spelling, where a counter's samples
     * ({@code x_total}, {@code x_created}) carry a suffix its HELP line ({@code x}) does not.
     */
    static void checkOpenMetrics(String text) throws Exception {
        Result r = run(text, "check", "metrics");
        List<String> other = new ArrayList<>();
        for (String line : r.output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String name = line.endsWith(" no help text") ? line.substring(0, line.length() - " no help text".length())
                    : null;
            boolean suffixOnly = name != null && (name.endsWith("_total") || name.endsWith("_created"))
                    && text.contains("# HELP " + name.substring(0, name.lastIndexOf('_')) + " ");
            if (!suffixOnly) {
                other.add(line);
            }
        }
        assertEquals(List.of(), other, "promtool on OpenMetrics (exit " + r.code + "):\n" + r.output);
    }

    static void checkRules(Path rules) throws Exception {
        Result r = run(null, "check", "rules", rules.toString());
        assertEquals(0, r.code, "promtool check rules:\n" + r.output);
    }

    static void checkConfig(Path config) throws Exception {
        Result r = run(null, "check", "config", "--syntax-only", config.toString());
        assertEquals(0, r.code, "promtool check config:\n" + r.output);
    }

    private record Result(int code, String output) {
    }

    private static Result run(String stdin, String... args) throws IOException, InterruptedException {
        Path tool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(tool)) {
            if ("true".equals(System.getenv("CI"))) {
                fail("promtool is not installed (.ci/run installs the Debian package prometheus)");
            }
            Assumptions.abort("promtool is not installed");
        }
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool did not finish");
        }
        return new Result(p.exitValue(), out);
    }
}
