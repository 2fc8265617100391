package io.fngate.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class UsageScannerTest {

    private static UsageScanner scan(String body, int chunk) {
        UsageScanner s = new UsageScanner();
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i += chunk) {
            s.accept(b, i, Math.min(chunk, b.length - i));
        }
        return s;
    }

    @Test
    void findsTheUsageOfAJsonBodyWhateverTheChunks() {
        String body = "{\"choices\":[{\"message\":{\"content\":\"hi\"}}],\"usage\" : {\"prompt_tokens\": 12, "
                + "\"completion_tokens\":34,\"total_tokens\":46,\"prompt_tokens_details\":{\"cached_tokens\":5}}}";
        for (int chunk : new int[] {1, 2, 7, 1000}) {
            UsageScanner s = scan(body, chunk);
            assertTrue(s.found(), "chunk " + chunk);
            assertEquals(12, s.promptTokens());
            assertEquals(34, s.completionTokens());
        }
    }

    @Test
    void nestedObjectsBeforeTheCountsDoNotEndTheUsage() {
        UsageScanner s = scan("{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":5,\"x\":{}},"
                + "\"prompt_tokens\":12,\"completion_tokens\":34}}", 3);
        assertTrue(s.found());
        assertEquals(12, s.promptTokens());
        assertEquals(34, s.completionTokens());
    }

    @Test
    void theLastUsageOfAStreamWinsAndNullsAreSkipped() {
        String stream = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}],\"usage\":null}\n\n"
                + "data: {\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":9}}\n\n"
                + "data: {\"choices\":[],\"usage\":null}\n\ndata: [DONE]\n\n";
        UsageScanner s = scan(stream, 5);
        assertEquals(3, s.promptTokens());
        assertEquals(9, s.completionTokens());
    }

    @Test
    void usageAsAValueOrWithoutCountsIsNoUsage() {
        assertFalse(scan("{\"content\":\"usage\",\"x\":1}", 3).found());
        assertFalse(scan("{\"usage\":{\"other\":1}}", 3).found());
        assertFalse(scan("{\"usage\":\"a string\"}", 3).found());
        assertFalse(scan("no json at all", 3).found());
    }

    @Test
    void keysInsideStringsDoNotCloseTheObjectEarly() {
        UsageScanner s = scan("{\"usage\":{\"note\":\"} \\\" {\",\"prompt_tokens\":2,\"completion_tokens\":4}}", 1);
        assertEquals(2, s.promptTokens());
        assertEquals(4, s.completionTokens());
    }

    @Test
    void anObjectTooLargeToBeAUsageIsIgnoredAndScanningGoesOn() {
        String huge = "{\"usage\":{\"padding\":\"" + "x".repeat(UsageScanner.MAX_OBJECT) + "\",\"prompt_tokens\":1}}";
        UsageScanner s = scan(huge + "{\"usage\":{\"prompt_tokens\":6,\"completion_tokens\":2}}", 64);
        assertEquals(6, s.promptTokens());
        assertEquals(2, s.completionTokens());
    }
}
