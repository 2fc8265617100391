package io.fngate.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import io.fngate.registry.FunctionRegistry;
import io.fngate.registry.RegistryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies made to hurt the JSON parser or to flood the log: each is a 400 problem naming what is wrong, nothing
 * is created, and the request leaves at most one log line and no stack trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileBodiesTest {
    static final String FN = "/v2/nvcf/functions";

    ApiServer api;
    final List<LogRecord> logged = new ArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    void start() {
        api = new ApiServer(FunctionRegistry.builder().store(RegistryStore.memory()).build());
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterAll
    void stop() {
        Logger.getLogger("").removeHandler(capture);
        api.close();
    }

    static String nested(int levels, String inner) {
        return "[".repeat(levels) + inner + "]".repeat(levels);
    }

    Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("33 levels", "{\"name\":\"a\",\"tags\":" + nested(32, "1") + "}",
                        "body: nested deeper than 32 levels"),
                Arguments.of("1,000 levels (the parser's own limit)", nested(1000, ""),
                        "body: nested deeper than 32 levels"),
                Arguments.of("100,000 levels", nested(100_000, ""), "body: nested deeper than 32 levels"),
                Arguments.of("100,000 unclosed objects", "{\"a\":".repeat(100_000),
                        "body: nested deeper than 32 levels"),
                Arguments.of("32 levels reach the field check", "{\"name\":\"a\",\"tags\":" + nested(31, "1") + "}",
                        "tags[0]: expected a string"),
                Arguments.of("a 2,000-digit number", "{\"name\":\"a\",\"inferencePort\":" + "9".repeat(2000) + "}",
                        "body: not valid JSON"),
                Arguments.of("a number with a huge exponent", "{\"name\":\"a\",\"inferencePort\":1e999999999}",
                        "inferencePort: expected an integer"),
                Arguments.of("content after the value", "{\"name\":\"a\"} {\"name\":\"b\"}", "body: not valid JSON"),
                Arguments.of("only whitespace", "   ", "body: not valid JSON"),
                Arguments.of("a lone surrogate escape", "{\"name\":\"\\ud800\"}", "name: "));
    }

    Stream<Arguments> rawRequests() {
        String head = "POST " + FN + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ApiServer.KEY + "\r\n";
        return Stream.of(
                Arguments.of("a body shorter than its Content-Length, then the client closes",
                        head + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":", true,
                        "400", "body: ended before it was complete"),
                Arguments.of("a chunked body cut off, then the client closes",
                        head + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"nam", true,
                        "400", "body: ended before it was complete"),
                Arguments.of("two Content-Type headers",
                        head + "Content-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n"
                                + "\r\n{\"name\":\"y\"}", false,
                        "415", "The request has 2 Content-Type headers"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawRequests")
    void brokenRequestsAreProblemsWithoutLogLines(String what, String request, boolean closeAfterSending,
                                                  String status, String detail) throws IOException {
        int functions = api.call("GET", FN, null).json().getJsonArray("functions").size();
        synchronized (logged) {
            logged.clear();
        }
        String answer;
        try (Socket socket = new Socket("127.0.0.1", api.server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            if (closeAfterSending) {
                socket.shutdownOutput();
            }
            byte[] buffer = new byte[4096];
            int n = socket.getInputStream().read(buffer);
            answer = n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.UTF_8);
        }
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
        assertTrue(answer.contains(detail), answer);
        assertEquals(List.of(), loggedMessages(), "nothing is logged for a broken request");
        assertEquals(functions, api.call("GET", FN, null).json().getJsonArray("functions").size());
    }

    private List<String> loggedMessages() {
        synchronized (logged) {
            return logged.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void isABadRequestNamingTheProblemWithAtMostOneLogLineAndNoStackTrace(String what, String body, String detail) {
        int functions = api.call("GET", FN, null).json().getJsonArray("functions").size();
        synchronized (logged) {
            logged.clear();
        }
        ApiServer.Reply r = api.call("POST", FN, body);
        assertEquals(400, r.status(), r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals("urn:fngate:problem-details:invalid-request", r.json().getString("type"));
        assertTrue(r.json().getString("detail").startsWith(detail), r.json().getString("detail"));
        assertTrue(r.body().length() < 1000, "the problem stays small: " + r.body().length() + " bytes");
        List<LogRecord> lines;
        synchronized (logged) {
            lines = List.copyOf(logged);
        }
        assertTrue(lines.size() <= 1, "log lines: " + lines.stream().map(LogRecord::getMessage).toList());
        for (LogRecord line : lines) {
            assertEquals(null, line.getThrown(), "a stack trace was logged: " + line.getMessage());
        }
        assertEquals(functions, api.call("GET", FN, null).json().getJsonArray("functions").size());
    }
}
