package io.fngate.edge;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link H2specTest} finds the ids of failed tests in h2spec's output (so it can tell a known flake apart). */
class H2specOutputTest {
    @Test
    void failureIdsComeFromTheFailuresSection() {
        String output = """
                Hypertext Transfer Protocol Version 2 (HTTP/2)
                  6. Frame Definitions
                      6.9.2. Initial Flow-Control Window Size
                          1: Changes SETTINGS_INITIAL_WINDOW_SIZE after sending HEADERS frame        \u00d7 1: Changes
                Failures:\s
                Generic tests for HTTP/2 server
                  5. Stream
                    \u00d7 3: Sends a stream
                Hypertext Transfer Protocol Version 2 (HTTP/2)
                  6. Frame Definitions
                    6.9. WINDOW_UPDATE
                      6.9.2. Initial Flow-Control Window Size
                        \u00d7 1: Changes SETTINGS_INITIAL_WINDOW_SIZE after sending HEADERS frame
                          -> The endpoint MUST adjust the size of all stream flow-control windows.
                HPACK: Header Compression for HTTP/2
                  2.3.3. Index Address Space
                    \u00d7 2: Sends a header field representation with invalid static table index

                Finished in 6.1226 seconds
                145 tests, 142 passed, 0 skipped, 3 failed
                """;
        assertEquals(List.of("generic/5/3", "http2/6.9.2/1", "hpack/2.3.3/2"), H2specTest.failures(output));
        assertEquals(List.of(), H2specTest.failures("145 tests, 145 passed, 0 skipped, 0 failed"));
    }
}
