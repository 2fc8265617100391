package io.fngate.edge;

import java.util.UUID;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProblemDetailsTest {
    private static final UUID ID = UUID.fromString("3f1c2b9a-5d4e-4f6a-8b7c-9d0e1f2a3b4c");

    @Test
    void hasTheSixFieldsOfFngateProblems() {
        ProblemDetails p = new ProblemDetails(431, "header-fields-too-large", "Too large", "Over 100 fields.", ID);
        assertEquals("{\"type\":\"urn:fngate:problem-details:header-fields-too-large\",\"title\":\"Too large\","
                + "\"status\":431,\"detail\":\"Over 100 fields.\",\"instance\":\"urn:uuid:" + ID + "\","
                + "\"requestId\":\"" + ID + "\"}", p.toJson());
        assertEquals("urn:fngate:problem-details:header-fields-too-large", p.type());
        assertEquals("urn:uuid:" + ID, p.instance());
    }

    @Test
    void everyCharacterSurvivesAJsonParser() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            all.append(c);
        }
        all.append("\u2028\u2029\"\\/ \uD83D\uDE00 end"); // line separators, quote, backslash, an emoji (a pair)
        ProblemDetails p = new ProblemDetails(400, "bad-request", all.toString(), all.toString(), ID);
        JsonObject parsed = ProblemAssert.parse(new String(p.toBytes(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(all.toString(), parsed.getString("title"));
        assertEquals(all.toString(), parsed.getString("detail"));
        assertEquals(400, parsed.getInt("status"));
    }

    @Test
    void loneSurrogatesBecomeReplacementCharacters() {
        ProblemDetails p = new ProblemDetails(400, "bad-request", "a\uD800b", "\uDC00", ID);
        JsonObject parsed = ProblemAssert.parse(new String(p.toBytes(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("a\uFFFDb", parsed.getString("title"));
        assertEquals("\uFFFD", parsed.getString("detail"));
    }

    @Test
    void refusesWhatIsNotAProblem() {
        assertThrows(IllegalArgumentException.class, () -> ProblemDetails.create(200, "ok", "OK", "fine"));
        assertThrows(IllegalArgumentException.class, () -> ProblemDetails.create(400, "Bad Request", "t", "d"));
        assertThrows(IllegalArgumentException.class, () -> ProblemDetails.create(400, "bad--request", "t", "d"));
        assertThrows(NullPointerException.class, () -> ProblemDetails.create(400, "bad-request", null, "d"));
        assertEquals(4, ProblemDetails.create(400, "bad-request", "t", "d").requestId().version());
    }
}
